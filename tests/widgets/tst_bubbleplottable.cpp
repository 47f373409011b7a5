#include "bubbleplottable.h"

#include <QTest>

// Liquidation bubbles are blitted from cached sprites on screen and drawn as real circles in
// vector exports: both must show the same prints in the same places and sizes.
class TestBubblePlottable : public QObject
{
    Q_OBJECT

private:
    struct Blob
    {
        int pixels = 0;
        double x = 0, y = 0; // centroid
    };

    // Pixels of one colour (within a tolerance, to count antialiased edges), and where.
    static Blob blob(const QImage &img, QColor want)
    {
        Blob b;
        for (int y = 0; y < img.height(); ++y)
            for (int x = 0; x < img.width(); ++x) {
                const QColor c = img.pixelColor(x, y);
                if (std::abs(c.red() - want.red()) + std::abs(c.green() - want.green()) + std::abs(c.blue() - want.blue()) < 60) {
                    ++b.pixels;
                    b.x += x;
                    b.y += y;
                }
            }
        if (b.pixels) {
            b.x /= b.pixels;
            b.y /= b.pixels;
        }
        return b;
    }

    static void setUp(QCustomPlot &plot, BubblePlottable **out)
    {
        plot.resize(400, 300);
        plot.xAxis->setRange(0, 100);
        plot.yAxis->setRange(0, 100);
        plot.setBackground(Qt::black);
        plot.axisRect()->setBackground(Qt::black);
        auto *bubbles = new BubblePlottable(plot.xAxis, plot.yAxis);
        bubbles->setOutline(QColor(255, 255, 255));
        QVector<BubblePlottable::Bubble> list;
        list.push_back({20, 30, 12.3, QColor(240, 160, 20)});
        list.push_back({50, 70, 4.0, QColor(40, 140, 240)});
        list.push_back({80, 40, 25.0, QColor(240, 160, 20)});
        bubbles->setBubbles(list);
        *out = bubbles;
    }

private slots:
    void spritesMatchCircles()
    {
        QCustomPlot screen;
        BubblePlottable *b = nullptr;
        setUp(screen, &b);
        screen.show();
        QVERIFY(QTest::qWaitForWindowExposed(&screen));
        screen.replot();
        const QImage sprites = screen.grab().toImage().convertToFormat(QImage::Format_RGB32);
        // Drawn again: the sprites come from the cache this time and must not differ.
        screen.replot();
        QCOMPARE(screen.grab().toImage().convertToFormat(QImage::Format_RGB32), sprites);

        // The vector path: real ellipses, painted into an image of the same size.
        QImage circles(sprites.size(), QImage::Format_RGB32);
        circles.fill(Qt::black);
        {
            QCPPainter painter(&circles);
            painter.setMode(QCPPainter::pmVectorized);
            screen.toPainter(&painter, screen.width(), screen.height());
        }
        if (qEnvironmentVariableIsSet("PERPSCOPE_TEST_SAVE")) {
            sprites.save(QStringLiteral("/tmp/bubbles-sprites.png"));
            circles.save(QStringLiteral("/tmp/bubbles-circles.png"));
        }
        for (const QColor &c : {QColor(240, 160, 20), QColor(40, 140, 240)}) {
            const Blob s = blob(sprites, c), v = blob(circles, c);
            QVERIFY2(v.pixels > 20, qPrintable(QString::number(v.pixels)));
            QVERIFY2(std::abs(s.pixels - v.pixels) <= v.pixels / 12 + 8, qPrintable(QStringLiteral("%1 vs %2 pixels").arg(s.pixels).arg(v.pixels)));
            QVERIFY2(std::abs(s.x - v.x) < 1.0 && std::abs(s.y - v.y) < 1.0,
                     qPrintable(QStringLiteral("centre (%1, %2) vs (%3, %4)").arg(s.x).arg(s.y).arg(v.x).arg(v.y)));
        }
    }
};

QTEST_MAIN(TestBubblePlottable)
#include "tst_bubbleplottable.moc"
