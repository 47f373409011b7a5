#include "heatmaplayer.h"

#include <QTest>

// The heatmap's colours: the scale comes from the cells near price, so a stale far band
// that nothing will reach cannot dim the area a trader reads; the intensity control moves
// the top of the scale and hides faint cells; warm-up columns are drawn faded; the light
// theme's ramp is ink on white, not a wash; the legend shows the scale.
class TestHeatmapLayer : public QObject
{
    Q_OBJECT

private:
    static constexpr int columns = 40;
    static constexpr int rows = 100;

    // Price 100 in every column; rows span 50..150 (1 per row). Near price (95..105): a
    // gradient of cells from $1K to $100K (a little more in later columns); far (rows 5..8, price 55..58): a band of $50M.
    static std::shared_ptr<HeatmapGrid> grid(qint64 warmUntil = 0)
    {
        auto g = std::make_shared<HeatmapGrid>();
        g->columns = columns;
        g->rows = rows;
        g->priceLow = 50;
        g->priceHigh = 150;
        g->range = {0, columns * 60'000LL};
        g->hasOpenInterest = true;
        g->warmUntil = warmUntil;
        g->openInterestFrom = 0;
        for (int c = 0; c < columns; ++c) {
            g->columnTimes << (c + 1) * 60'000LL;
            g->columnPrice << 100.0f;
        }
        g->longUsd.fill(0, columns * rows);
        g->shortUsd.fill(0, columns * rows);
        for (int c = 0; c < columns; ++c) {
            for (int r = 45; r < 55; ++r)
                g->longUsd[g->index(c, r)] = float(1000.0 * std::pow(100.0, (r - 45) / 9.0) * (1 + c / 400.0));
            for (int r = 5; r < 9; ++r)
                g->longUsd[g->index(c, r)] = 50e6f;
        }
        return g;
    }

    struct Plot
    {
        QCustomPlot plot;
        std::unique_ptr<HeatmapLayer> layer;
        explicit Plot(const ChartTheme &theme)
        {
            plot.resize(600, 400);
            theme.apply(&plot);
            plot.xAxis->setRange(0, columns * 60.0);
            plot.yAxis->setRange(50, 150);
            layer = std::make_unique<HeatmapLayer>(plot.xAxis, plot.yAxis);
            layer->setTheme(theme);
        }
        QImage render()
        {
            plot.replot();
            return plot.grab().toImage();
        }
        QPoint at(double t, double price) const
        {
            return QPoint(int(plot.xAxis->coordToPixel(t)), int(plot.yAxis->coordToPixel(price)));
        }
    };

private slots:
    void scaleComesFromCellsNearPrice()
    {
        const auto g = grid();
        const HeatmapLayer::Scale near = HeatmapLayer::scaleOf(*g, 0.99);
        QVERIFY(near.nearPrice);
        // The top is the hottest near-price cell, not the $50M far band.
        QVERIFY2(near.topUsd <= 110'001 && near.topUsd > 50'000, qPrintable(QString::number(near.topUsd)));
        // Without prices (no columnPrice), every cell counts and the far band sets the top.
        auto noPrice = grid();
        noPrice->columnPrice.fill(0);
        const HeatmapLayer::Scale all = HeatmapLayer::scaleOf(*noPrice, 0.99);
        QVERIFY(!all.nearPrice);
        QCOMPARE(all.topUsd, 50e6);
        // A lower clip percentile tops out lower (brighter), a higher one at the very top.
        QVERIFY(HeatmapLayer::scaleOf(*g, 0.90).topUsd < near.topUsd);
        QVERIFY(HeatmapLayer::scaleOf(*g, 0.999).topUsd >= near.topUsd);
        // An empty grid has no scale.
        auto empty = grid();
        empty->longUsd.fill(0);
        QCOMPARE(HeatmapLayer::scaleOf(*empty, 0.99).topUsd, 0.0);
    }

    void nearPriceCellsAreBrightDespiteAFarBand()
    {
        Plot p(ChartTheme::dark());
        p.layer->setGrid(grid());
        const QImage img = p.render();
        // The hottest near-price row is saturated yellow-green, not dim purple.
        const QColor nearTop = img.pixelColor(p.at(20 * 60.0, 104.5));
        QVERIFY2(nearTop.value() > 180 && nearTop.hsvSaturation() > 120, qPrintable(nearTop.name()));
        QCOMPARE(p.layer->legendHighUsd(), HeatmapLayer::scaleOf(*grid(), 0.99).topUsd);
        QVERIFY(p.layer->legendLowUsd() > 0 && p.layer->legendLowUsd() < p.layer->legendHighUsd());
    }

    void intensityMovesTheScaleAndHidesFaintCells()
    {
        Plot p(ChartTheme::dark());
        p.layer->setGrid(grid());
        const QImage before = p.render();
        const QPoint faint = p.at(20 * 60.0, 96.5); // $1.7K: the faintest near cells
        QVERIFY(before.pixelColor(faint) != p.plot.axisRect()->backgroundBrush().color());
        const double top99 = p.layer->legendHighUsd();
        p.layer->setIntensity({0.90, 0.30});
        QVERIFY(p.layer->legendHighUsd() < top99);
        const QImage after = p.render();
        // Below the threshold: transparent, the background shows.
        const QColor bg = after.pixelColor(p.at(20 * 60.0, 130)); // no heat there at all
        QCOMPARE(after.pixelColor(faint), bg);
        QVERIFY(before.pixelColor(faint) != bg);
        QCOMPARE(p.layer->legend()->scale().clipPercentile, 0.90);
    }

    void warmUpColumnsAreFaded()
    {
        Plot p(ChartTheme::dark());
        // Columns before minute 20 are still in the warm-up.
        p.layer->setGrid(grid(20 * 60'000LL + 1));
        const QImage img = p.render();
        const QColor bg = img.pixelColor(p.at(20 * 60.0, 130));
        const QColor warm = img.pixelColor(p.at(10 * 60.0 - 30, 104.5));
        const QColor live = img.pixelColor(p.at(30 * 60.0 - 30, 104.5));
        const auto distance = [](const QColor &a, const QColor &b) {
            return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue());
        };
        // The same cell value: the warm-up column lies much closer to the background.
        QVERIFY2(distance(warm, bg) * 2 < distance(live, bg), qPrintable(warm.name() + QLatin1Char(' ') + live.name() + QLatin1Char(' ') + bg.name()));
    }

    void lightThemeRampIsInkOnWhite()
    {
        Plot p(ChartTheme::light());
        p.layer->setGrid(grid());
        const QImage img = p.render();
        const QColor bg = img.pixelColor(p.at(20 * 60.0, 130));
        const QColor top = img.pixelColor(p.at(20 * 60.0, 104.5));
        const QColor middle = img.pixelColor(p.at(20 * 60.0, 101.5));
        // The hottest cells are the darkest ink, well off the white; the middle is coloured.
        QVERIFY2(bg.value() > 230, qPrintable(bg.name()));
        QVERIFY2(top.value() < 130, qPrintable(top.name()));
        QVERIFY2(middle.hsvSaturation() > 100, qPrintable(middle.name()));
        QVERIFY(qGray(top.rgb()) < qGray(middle.rgb()));
    }

    void legendIsDrawnInsideThePlotWithItsScale()
    {
        Plot p(ChartTheme::dark());
        p.layer->setGrid(grid());
        const QImage img = p.render();
        const QRect box = p.layer->legend()->drawnRect();
        QVERIFY(!box.isEmpty());
        QVERIFY(p.plot.axisRect()->rect().contains(box));
        // Its ramp has colour in it (the gradient, not a blank plate).
        int coloured = 0;
        for (int x = box.left(); x < box.right(); ++x)
            for (int y = box.top(); y < box.bottom(); ++y)
                coloured += img.pixelColor(x, y).hsvSaturation() > 120;
        QVERIFY2(coloured > 100, qPrintable(QString::number(coloured)));
        // No heat: no legend (no "$0 ... $0").
        p.layer->setGrid(nullptr);
        p.render();
        QVERIFY(p.layer->legend()->drawnRect().isEmpty());
        QCOMPARE(p.layer->legendHighUsd(), 0.0);
    }
};

QTEST_MAIN(TestHeatmapLayer)
#include "tst_heatmaplayer.moc"
