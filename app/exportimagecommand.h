#pragma once

#include <QStringList>

// perpscope export image --db PATH --pane price|funding|oi|liquidations|workspace
//                        [--from T --to T] [--size WxH] [--theme dark|light] [--scale S]
//                        [--instrument I] --out FILE        (.png .jpg .pdf .svg)
// Lays the real main window out offscreen and renders it as the GUI's export does.
class ExportImageCommand
{
public:
    static int run(const QStringList &args);
};
