#pragma once

#include <QStringList>

// The `perpscope` command line contract (DESIGN.md "Command line"): a subcommand runs
// headless; no subcommand opens the GUI.
class CommandLine
{
public:
    enum class Mode {
        Gui,             // no subcommand
        Headless,        // needs no display at all
        HeadlessPainting // renders widgets (export image): runs on the offscreen platform
    };

    static Mode mode(const QStringList &args);
    // Runs a headless command; prints "perpscope: <reason>" and returns non-zero on error.
    static int run(const QStringList &args);
    static QString helpText();
    static QString versionText();
};
