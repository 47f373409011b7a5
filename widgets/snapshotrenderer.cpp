#include "snapshotrenderer.h"

#include "chartpane.h"

#include <QFileInfo>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <qcustomplot.h>

SnapshotRenderer::SnapshotRenderer(const ChartTheme &theme)
    : m_theme(theme)
{
}

void SnapshotRenderer::setHeader(const QString &title, const QStringList &details)
{
    m_title = title;
    m_details = details;
}

void SnapshotRenderer::addItem(QWidget *widget, const QRect &rect)
{
    m_items.push_back({widget, rect});
}

QSize SnapshotRenderer::logicalSize() const
{
    QRect box;
    for (const Item &i : m_items)
        box = box.united(i.rect);
    return {std::max(box.right() + 1, 320), box.bottom() + 1 + headerHeight()};
}

void SnapshotRenderer::paint(QCPPainter *painter) const
{
    const QSize size = logicalSize();
    painter->fillRect(QRect(QPoint(), size), m_theme.panel);
    if (headerHeight() > 0) {
        painter->fillRect(QRect(0, 0, size.width(), headerHeight()), m_theme.background);
        QFont f = painter->font();
        f.setPointSizeF(f.pointSizeF() * 1.15);
        f.setBold(true);
        painter->setFont(f);
        painter->setPen(m_theme.text);
        painter->drawText(QRect(12, 4, size.width() - 24, 20), Qt::AlignLeft | Qt::AlignVCenter, m_title);
        f.setBold(false);
        f.setPointSizeF(f.pointSizeF() / 1.15);
        painter->setFont(f);
        painter->setPen(m_theme.mutedText);
        painter->drawText(QRect(12, 23, size.width() - 24, 18), Qt::AlignLeft | Qt::AlignVCenter,
                          m_details.join(QStringLiteral("   ·   ")));
        painter->setPen(m_theme.grid);
        painter->drawLine(QLineF(0, headerHeight() - 0.5, size.width(), headerHeight() - 0.5));
    }
    for (const Item &i : m_items) {
        if (!i.widget)
            continue;
        const QPoint at = i.rect.topLeft() + QPoint(0, headerHeight());
        if (auto *pane = qobject_cast<ChartPane *>(i.widget.data())) {
            pane->paintSnapshot(painter, at);
        } else {
            painter->save();
            painter->translate(at);
            i.widget->render(painter, QPoint(), QRegion(), QWidget::DrawWindowBackground | QWidget::DrawChildren);
            painter->restore();
        }
    }
}

QImage SnapshotRenderer::toImage(double scale) const
{
    const QSize size = logicalSize();
    QImage image(size * scale, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(m_theme.panel);
    QCPPainter painter(&image);
    painter.setRenderHint(QPainter::TextAntialiasing);
    paint(&painter);
    painter.end();
    return image;
}

bool SnapshotRenderer::save(const QString &path, double scale, QString *error) const
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (!formats().contains(suffix)) {
        *error = QStringLiteral("%1: unknown image format '%2' (use .png, .jpg, .pdf or .svg)").arg(path, suffix);
        return false;
    }
    if (scale <= 0 || scale > 8) {
        *error = QStringLiteral("scale %1 is out of range (0 < scale <= 8)").arg(scale);
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("%1: cannot write (%2)").arg(path, file.errorString());
        return false;
    }
    const QSize size = logicalSize();
    bool ok = true;
    if (suffix == QLatin1String("pdf")) {
        QPdfWriter pdf(&file);
        pdf.setResolution(96);
        pdf.setPageSize(QPageSize(QSizeF(size.width() * 72.0 / 96.0, size.height() * 72.0 / 96.0), QPageSize::Point));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setCreator(QStringLiteral("Perpscope"));
        pdf.setTitle(m_title);
        QCPPainter painter(&pdf);
        painter.setMode(QCPPainter::pmVectorized);
        painter.setMode(QCPPainter::pmNoCaching);
        paint(&painter);
        ok = painter.end();
    } else if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(), size));
        svg.setResolution(96);
        svg.setTitle(m_title);
        svg.setDescription(m_details.join(QStringLiteral(" · ")));
        QCPPainter painter(&svg);
        painter.setMode(QCPPainter::pmVectorized);
        painter.setMode(QCPPainter::pmNoCaching);
        paint(&painter);
        ok = painter.end();
    } else {
        const QImage image = toImage(scale);
        const bool jpeg = suffix != QLatin1String("png");
        ok = jpeg ? image.convertToFormat(QImage::Format_RGB32).save(&file, "JPEG", 92) : image.save(&file, "PNG");
    }
    if (!ok || !file.commit()) {
        *error = QStringLiteral("%1: writing the image failed (%2)").arg(path, file.errorString());
        return false;
    }
    return true;
}
