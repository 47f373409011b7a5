#include "application.h"
#include "commandline.h"
#include "guilauncher.h"

#include <QApplication>
#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);

    switch (CommandLine::mode(args)) {
    case CommandLine::Mode::Headless: {
        QCoreApplication app(argc, argv);
        Application::setIdentity();
        return CommandLine::run(args);
    }
    case CommandLine::Mode::HeadlessPainting: {
        if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        Application::quietOffscreenPlatform();
        QApplication app(argc, argv);
        Application::setIdentity();
        return CommandLine::run(args);
    }
    case CommandLine::Mode::Gui:
        break;
    }
    QApplication app(argc, argv);
    Application::setIdentity();
    return GuiLauncher::run(app, args);
}
