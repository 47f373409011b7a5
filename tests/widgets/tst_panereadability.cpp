#include "bubbleplottable.h"
#include "fundingpane.h"
#include "liquidationspane.h"
#include "marketwindowmodel.h"
#include "openinterestpane.h"
#include "pricepane.h"
#include "sources/syntheticsource.h"
#include "storage/marketstore.h"
#include "storage/storewriter.h"
#include "testutil.h"
#include "timesync.h"
#include "valueaxisticker.h"

#include <QVBoxLayout>
#include <qcustomplot.h>

// What a trader reads off the panes' axes and prints: labels that do not run into each
// other (value axes at the default pane height, time axes in narrow panes), thousands
// separators, one decimal count per axis, money as $90M, no label under the last-price tag,
// and liquidation prints that stay apart at coarse timeframes instead of hiding the price.
class TestPaneReadability : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    static constexpr qint64 t0 = 1'767'225'600'000;

    QString makeDb(const QString &name, const Instrument &i, double startPrice, qint64 days)
    {
        const QString db = m_dir.filePath(name);
        SyntheticSource::Params p;
        p.instrument = i;
        p.startMs = t0;
        p.minutes = days * 1440;
        p.startPrice = startPrice;
        p.seed = 23;
        SyntheticSource source(p);
        MarketStore::open(db).writer()->commit(source.generate(p.minutes));
        return db;
    }

    struct View
    {
        QWidget window;
        TimeSync sync;
        MarketWindowModel *model = nullptr;
        QList<ChartPane *> panes;
    };

    // The four panes stacked as in the default layout (price 40 %, funding 15 %, OI 17 %,
    // liquidations 28 % of 860 px).
    std::unique_ptr<View> open(const QString &db, const Instrument &i, QSize size = {1300, 860})
    {
        auto v = std::make_unique<View>();
        v->model = new MarketWindowModel(db, &v->sync, &v->window);
        v->panes = {new PricePane(&v->sync, v->model), new FundingPane(&v->sync, v->model), new OpenInterestPane(&v->sync, v->model),
                    new LiquidationsPane(&v->sync, v->model)};
        auto *layout = new QVBoxLayout(&v->window);
        layout->setContentsMargins(0, 0, 0, 0);
        const int stretch[] = {40, 15, 17, 28};
        for (int k = 0; k < 4; ++k)
            layout->addWidget(v->panes[k], stretch[k]);
        v->window.resize(size);
        v->model->setPlotWidth(size.width() - ChartPane::leftMargin - ChartPane::rightMargin);
        v->model->setInstrument(i);
        v->window.show();
        if (!QTest::qWaitForWindowExposed(&v->window) || !QTest::qWaitFor([&] { return v->model->hasData(); }, 10000))
            return nullptr;
        settle(*v);
        return v;
    }

    static void settle(View &v)
    {
        QVERIFY(QTest::qWaitFor([&] { return v.model->isCurrent(); }, 10000));
        QApplication::processEvents();
        for (ChartPane *p : v.panes)
            p->plot()->replot();
    }

    // Labels drawn on an axis (ticks with text), with their pixel extent along the axis.
    static QList<std::pair<double, double>> labelExtents(QCPAxis *axis)
    {
        QList<std::pair<double, double>> out;
        const QFontMetrics fm(axis->tickLabelFont());
        const auto ticks = axis->tickVector();
        const auto texts = axis->tickVectorLabels();
        for (int i = 0; i < ticks.size(); ++i) {
            if (texts[i].isEmpty())
                continue;
            const double at = axis->coordToPixel(ticks[i]);
            const double half = (axis->orientation() == Qt::Horizontal ? fm.horizontalAdvance(texts[i]) : fm.height()) / 2.0;
            out.push_back({at - half, at + half});
        }
        std::sort(out.begin(), out.end());
        return out;
    }

    static void verifyNoOverlap(QCPAxis *axis, const QString &what)
    {
        const auto labels = labelExtents(axis);
        QVERIFY2(labels.size() >= 2, qPrintable(what + QStringLiteral(": fewer than two labels (%1 over %2 .. %3)")
                                                          .arg(axis->tickVectorLabels().join(QLatin1Char('|')))
                                                          .arg(axis->range().lower)
                                                          .arg(axis->range().upper)));
        for (int i = 1; i < labels.size(); ++i)
            QVERIFY2(labels[i].first >= labels[i - 1].second + 2,
                     qPrintable(QStringLiteral("%1: labels %2 and %3 overlap").arg(what, axis->tickVectorLabels().value(i - 1), axis->tickVectorLabels().value(i))));
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void valueAxesDoNotOverlapAtTheDefaultHeight()
    {
        const Instrument i{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
        auto v = open(makeDb(QStringLiteral("btc.db"), i, 95'000, 6), i);
        QVERIFY(v);
        for (ChartPane *p : v->panes)
            verifyNoOverlap(p->valueAxis(), p->title());
        // Thousands separators on the price axis, as in the read-outs and the tag.
        const auto price = v->panes[0]->valueAxis()->tickVectorLabels();
        for (const QString &l : price)
            if (!l.isEmpty())
                QVERIFY2(l.contains(QLatin1Char(',')), qPrintable(l));
        for (const QString &l : v->panes[1]->valueAxis()->tickVectorLabels())
            QVERIFY2(l.endsWith(QLatin1Char('%')), qPrintable(l));
        // Open interest in USD reads as money.
        auto *oi = qobject_cast<OpenInterestPane *>(v->panes[2]);
        oi->setShowUsd(true);
        oi->plot()->replot();
        for (const QString &l : oi->valueAxis()->tickVectorLabels())
            QVERIFY2(l.startsWith(QLatin1Char('$')) && (l.endsWith(QLatin1Char('M')) || l.endsWith(QLatin1Char('B'))), qPrintable(l));
    }

    void noLabelUnderTheLastPriceTag()
    {
        const Instrument i{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
        auto v = open(makeDb(QStringLiteral("tag.db"), i, 95'000, 4), i);
        QVERIFY(v);
        QCPAxis *axis = v->panes[0]->valueAxis();
        const double last = v->model->window().candles.last().close;
        const double tagHalf = QFontMetrics(axis->tickLabelFont()).height() / 2.0 + 2;
        const double y = axis->coordToPixel(last);
        for (const auto &[from, to] : labelExtents(axis))
            QVERIFY2(to < y - tagHalf || from > y + tagHalf, qPrintable(QStringLiteral("a label at %1..%2 px under the tag at %3").arg(from).arg(to).arg(y)));
    }

    void lowPricesKeepOneDecimalCount()
    {
        const Instrument link{QStringLiteral("SYNTH"), QStringLiteral("LINKUSDT")};
        auto v = open(makeDb(QStringLiteral("link.db"), link, 8, 4), link);
        QVERIFY(v);
        QSet<int> decimals;
        for (const QString &l : v->panes[0]->valueAxis()->tickVectorLabels())
            if (!l.isEmpty())
                decimals << int(l.section(QLatin1Char('.'), 1).size());
        QCOMPARE(decimals.size(), 1);
        QVERIFY(*decimals.begin() >= 1);
    }

    void narrowPanesKeepTimeLabelsApart()
    {
        const Instrument i{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
        auto v = open(makeDb(QStringLiteral("narrow.db"), i, 95'000, 6), i, {420, 860});
        QVERIFY(v);
        for (ChartPane *p : v->panes)
            verifyNoOverlap(p->timeAxis(), p->title() + QStringLiteral(" time axis"));
    }

    void printsStayApartAtCoarseTimeframes()
    {
        const Instrument i{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
        auto v = open(makeDb(QStringLiteral("coarse.db"), i, 95'000, 60), i);
        QVERIFY(v);
        v->sync.setFollowLatest(false);
        v->sync.showAll(&v->window);
        settle(*v);
        QVERIFY2(Timeframes::minutes(v->model->window().timeframe) >= 60, qPrintable(Timeframes::name(v->model->window().timeframe)));
        auto *liq = qobject_cast<LiquidationsPane *>(v->panes[3]);
        const auto &bubbles = liq->bubbles()->bubbles();
        QVERIFY(!bubbles.isEmpty());
        // Far fewer bubbles than bars, and same-side bubbles at least a bubble's width apart.
        QVERIFY2(bubbles.size() < v->model->window().liquidations.size() / 3,
                 qPrintable(QStringLiteral("%1 bubbles for %2 bars").arg(bubbles.size()).arg(v->model->window().liquidations.size())));
        QCPAxis *keys = liq->timeAxis();
        QMap<QRgb, double> lastX;
        for (const auto &b : bubbles) {
            const double x = keys->coordToPixel(b.key);
            if (lastX.contains(b.color.rgb()))
                QVERIFY2(x - lastX[b.color.rgb()] >= 6, qPrintable(QStringLiteral("bubbles %1 px apart").arg(x - lastX[b.color.rgb()])));
            lastX[b.color.rgb()] = x;
        }
        // The price line still shows along the pane: its colour in most columns.
        const QImage img = liq->plot()->grab().toImage();
        img.save(QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("liquidations-coarse.png")));
        const QRect r = liq->plot()->axisRect()->rect();
        const QColor line(0xe0, 0xe3, 0xeb);
        int columns = 0, withLine = 0;
        for (int x = r.left() + 4; x < r.right() - 4; x += 3) {
            ++columns;
            for (int y = r.top(); y < r.bottom(); ++y) {
                const QColor c = img.pixelColor(x, y);
                if (std::abs(c.red() - line.red()) + std::abs(c.green() - line.green()) + std::abs(c.blue() - line.blue()) < 60) {
                    ++withLine;
                    break;
                }
            }
        }
        QVERIFY2(withLine > columns * 0.8, qPrintable(QStringLiteral("price line seen in %1 of %2 columns").arg(withLine).arg(columns)));
    }
};

QTEST_MAIN(TestPaneReadability)
#include "tst_panereadability.moc"
