#pragma once

#include "charttheme.h"

#include <QImage>
#include <QList>
#include <QPointer>
#include <QRect>
#include <QStringList>

class QCPPainter;
class QWidget;

// Renders panes (or any widgets) laid out as on screen into one picture with a header band
// (what, where from, which range, when), as PNG/JPEG (raster, at any scale) or PDF/SVG
// (vector). Charts go through QCustomPlot::toPainter, which stays fast at scale 2 where
// QCustomPlot's own scaled export is pathologically slow. Files are written with QSaveFile,
// so a failed export never leaves half a file.
class SnapshotRenderer
{
public:
    struct Item
    {
        QPointer<QWidget> widget;
        QRect rect; // in snapshot coordinates, logical pixels (below the header)
    };

    explicit SnapshotRenderer(const ChartTheme &theme);

    void setHeader(const QString &title, const QStringList &details);
    void addItem(QWidget *widget, const QRect &rect);
    QSize logicalSize() const; // items' bounding box plus the header band
    const QList<Item> &items() const { return m_items; }

    void paint(QCPPainter *painter) const;
    QImage toImage(double scale = 1.0) const;
    // Format from the suffix: .png .jpg/.jpeg .pdf .svg. Returns false and sets *error.
    bool save(const QString &path, double scale, QString *error) const;

    static QStringList formats() { return {QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("jpeg"), QStringLiteral("pdf"), QStringLiteral("svg")}; }

private:
    int headerHeight() const { return m_title.isEmpty() ? 0 : 44; }

    ChartTheme m_theme;
    QString m_title;
    QStringList m_details;
    QList<Item> m_items;
};
