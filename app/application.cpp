#include "application.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QtGlobal>

namespace Application {

void setIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("Perpscope"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("perpscope.org"));
    QCoreApplication::setApplicationName(QStringLiteral("perpscope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PERPSCOPE_VERSION));
    if (qobject_cast<QGuiApplication *>(QCoreApplication::instance())) {
        QGuiApplication::setApplicationDisplayName(QStringLiteral("Perpscope"));
        QGuiApplication::setDesktopFileName(QString::fromLatin1(desktopId));
    }
}

namespace {
QtMessageHandler previousHandler = nullptr;

void dropSizeHintWarning(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg && message == QLatin1String("This plugin does not support propagateSizeHints()"))
        return;
    if (previousHandler)
        previousHandler(type, context, message);
}
} // namespace

void quietOffscreenPlatform()
{
    if (QGuiApplication::platformName() != QLatin1String("offscreen"))
        return;
    previousHandler = qInstallMessageHandler(dropSizeHintWarning);
}

} // namespace Application
