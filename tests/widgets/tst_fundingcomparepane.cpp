#include "aggregatefixture.h"
#include "domain/aggregates.h"
#include "fundingcomparepane.h"
#include "liquidationtape.h"
#include "liquidationtapemodel.h"
#include "marketwindowmodel.h"
#include "openinterestpane.h"
#include "testutil.h"
#include "timesync.h"

#include <QTableView>
#include <QVBoxLayout>
#include <qcustomplot.h>

// ALL:BTC on real panes over a store of three venues (AggregateFixture): the funding
// comparison draws each venue in its colour with its settlements, the OI-weighted mean and
// the spread; the OI pane stacks the venues under the sum; the tape names each print's venue;
// the headers say what is summed and where the price comes from. A single venue still gets
// the comparison with its neighbours. PERPSCOPE_SAVE_PNG=DIR keeps the rendered panes.
class TestFundingComparePane : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_db;
    static constexpr qint64 t0 = AggregateFixture::t0;
    static constexpr qint64 hour = AggregateFixture::hour;

    struct Panes
    {
        QWidget window;
        TimeSync sync;
        MarketWindowModel *model = nullptr;
        FundingComparePane *funding = nullptr;
        OpenInterestPane *oi = nullptr;
        LiquidationTape *tape = nullptr;
    };

    std::unique_ptr<Panes> show(const Instrument &i)
    {
        auto p = std::make_unique<Panes>();
        p->model = new MarketWindowModel(m_db, &p->sync, &p->window);
        p->funding = new FundingComparePane(&p->sync, p->model);
        p->oi = new OpenInterestPane(&p->sync, p->model);
        p->tape = new LiquidationTape(p->model, &p->sync);
        auto *layout = new QHBoxLayout(&p->window);
        auto *charts = new QVBoxLayout;
        charts->addWidget(p->funding);
        charts->addWidget(p->oi);
        layout->addLayout(charts, 3);
        layout->addWidget(p->tape, 1);
        p->window.resize(1400, 640);
        p->model->setInstrument(i);
        p->window.show();
        if (!QTest::qWaitForWindowExposed(&p->window))
            return nullptr;
        if (!QTest::qWaitFor([&] { return p->model->hasData() && p->sync.visibleRange().isValid(); }, 10000))
            return nullptr;
        p->sync.setFollowLatest(false);
        p->sync.setVisibleRange({t0, t0 + 24 * hour}, &p->window);
        if (!QTest::qWaitFor([&] { return p->model->isCurrent() && p->model->window().instrument == i; }, 10000))
            return nullptr;
        QTest::qWait(150); // the tape settles
        QApplication::processEvents();
        return p;
    }

    static int countColor(const QImage &img, const QColor &want, int tolerance = 60)
    {
        int n = 0;
        for (int y = 0; y < img.height(); ++y)
            for (int x = 0; x < img.width(); ++x) {
                const QColor c = img.pixelColor(x, y);
                if (std::abs(c.red() - want.red()) + std::abs(c.green() - want.green()) + std::abs(c.blue() - want.blue()) < tolerance)
                    ++n;
            }
        return n;
    }

    static void keep(QWidget *w, const QString &name)
    {
        const QString dir = qEnvironmentVariable("PERPSCOPE_SAVE_PNG");
        if (!dir.isEmpty())
            w->grab().save(dir + QLatin1Char('/') + name);
    }

private slots:
    void initTestCase()
    {
        m_db = m_dir.filePath(QStringLiteral("all.db"));
        const MarketStore store = MarketStore::open(m_db);
        AggregateFixture::write(*store.writer());
    }

    void eachVenueIsALineWithTheMeanAndTheSpread()
    {
        auto p = show(Aggregates::of(QStringLiteral("BTC")));
        QVERIFY(p);
        const MarketWindow &w = p->model->window();
        QCOMPARE(w.venues.size(), 3);
        QCOMPARE(w.priceReference.key(), QStringLiteral("BINANCE:BTCUSDT"));
        keep(&p->window, QStringLiteral("all-btc.png"));
        const QImage img = p->funding->plot()->grab().toImage();
        for (int k = 0; k < 3; ++k) {
            const QColor c = FundingComparePane::venueColor(w.venues[k].instrument.exchange, k);
            QVERIFY2(countColor(img, c) > 100, qPrintable(w.venues[k].instrument.key()));
        }
        // The spread at 09:00: the highest venue's rate per 8 h minus the lowest's.
        const qint64 t = t0 + 9 * hour;
        const auto spread = FundingComparePane::spreadAt(w, t);
        QVERIFY(spread);
        const double bybit = *FundingComparePane::rateAt(w.venues[1], t), okx = *FundingComparePane::rateAt(w.venues[2], t),
                     binance = *FundingComparePane::rateAt(w.venues[0], t);
        QCOMPARE(*spread, std::max({bybit, okx, binance}) - std::min({bybit, okx, binance}));
        // OKX's 4-hourly rate is normalised to 8 h: the rate paid at 12:00 for 08:00-12:00.
        QVERIFY(qAbs(okx - AggregateFixture::fundingRate(2, t0 + 12 * hour) * 2) < 1e-15);
        // The header: every venue with its APR, the mean and the spread; what the aggregate is.
        p->sync.setCursor(t, p->funding);
        QApplication::processEvents();
        const QString header = p->funding->header()->text();
        for (const char *venue : {"BINANCE", "BYBIT", "OKX", "OI-weighted", "spread", "APR", "ALL:BTC (3 venues)", "price BINANCE:BTCUSDT"})
            QVERIFY2(header.contains(QLatin1String(venue)), qPrintable(header));
    }

    void oiStacksByVenueAndTheTapeNamesVenues()
    {
        auto p = show(Aggregates::of(QStringLiteral("BTC")));
        QVERIFY(p);
        const MarketWindow &w = p->model->window();
        p->oi->setStackByVenue(true);
        QVERIFY(p->oi->isStacking());
        p->oi->plot()->replot();
        keep(p->oi, QStringLiteral("all-btc-oi-stacked.png"));
        const QImage img = p->oi->plot()->grab().toImage();
        for (int k = 0; k < 3; ++k)
            QVERIFY2(countColor(img, FundingComparePane::venueColor(w.venues[k].instrument.exchange, k), 90) > 100, qPrintable(QString::number(k)));
        // The top layer is the sum.
        QVERIFY(!w.openInterestUsd.isEmpty());
        // The tape: every venue's prints, each with its venue.
        QAbstractItemModel *tape = p->tape->view()->model();
        QVERIFY(tape->rowCount() > 30);
        QVERIFY(!p->tape->view()->isColumnHidden(LiquidationTapeModel::Venue));
        QSet<QString> venues;
        for (int r = 0; r < tape->rowCount(); ++r)
            venues << tape->index(r, LiquidationTapeModel::Venue).data().toString();
        QCOMPARE(venues, (QSet<QString>{QStringLiteral("BINANCE"), QStringLiteral("BYBIT"), QStringLiteral("OKX")}));
        // The fixture's prints sit (venue + 1) seconds into their minute.
        for (int r = 0; r < 20; ++r) {
            const QString venue = tape->index(r, LiquidationTapeModel::Venue).data().toString();
            const qint64 ts = w.tape[r].ts;
            QCOMPARE(int((ts - t0) % 60'000 / 1000), venue == QLatin1String("BINANCE") ? 1 : venue == QLatin1String("BYBIT") ? 2 : 3);
        }
    }

    void oneVenueIsComparedWithItsNeighbours()
    {
        auto p = show({QStringLiteral("OKX"), QStringLiteral("BTC-USDT-SWAP")});
        QVERIFY(p);
        const MarketWindow &w = p->model->window();
        QCOMPARE(w.venues.size(), 3);
        QVERIFY(w.tapeVenue.isEmpty());
        QVERIFY(p->tape->view()->isColumnHidden(LiquidationTapeModel::Venue));
        QVERIFY(!w.venueMeanFunding.isEmpty());
        p->oi->setStackByVenue(true);
        QVERIFY(!p->oi->isStacking()); // one venue: its own line only
        keep(p->funding, QStringLiteral("okx-funding-compare.png"));
        QVERIFY(countColor(p->funding->plot()->grab().toImage(), FundingComparePane::venueColor(QStringLiteral("BINANCE"), 0)) > 100);
    }
};

QTEST_MAIN(TestFundingComparePane)
#include "tst_fundingcomparepane.moc"
