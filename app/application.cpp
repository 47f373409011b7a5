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
    if (type == QtWarningMsg
        && (message == QLatin1String("This plugin does not support propagateSizeHints()")
            || message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR not set"))))
        return;
    if (previousHandler)
        previousHandler(type, context, message);
}
} // namespace

void quietOffscreenPlatform()
{
    // Called before the QApplication exists: the runtime-directory warning comes from its
    // constructor.
    if (qgetenv("QT_QPA_PLATFORM") != "offscreen")
        return;
    previousHandler = qInstallMessageHandler(dropSizeHintWarning);
}

} // namespace Application
