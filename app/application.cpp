#include "application.h"

#include <QCoreApplication>
#include <QGuiApplication>

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

} // namespace Application
