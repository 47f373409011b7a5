#include "chartpane.h"
#include "comparepanel.h"
#include "mainwindow.h"
#include "marketwindowmodel.h"
#include "rangeanalysismodel.h"
#include "rangeanalysispanel.h"
#include "rangechip.h"
#include "rangemime.h"
#include "sources/syntheticsource.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"
#include "testutil.h"
#include "timesync.h"

#include <QDockWidget>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>
#include <QSettings>
#include <qcustomplot.h>

// Range selection, analysis, the chip's drag data, Compare, drops on charts, and the CLI
// giving the same numbers as the GUI: all by driving the real window.
class TestRangeSelection : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    const Instrument m_i{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
    static constexpr qint64 t0 = 1'767'225'600'000;
    std::unique_ptr<MainWindow> m_w;

    ChartPane *price() const { return m_w->pane(QStringLiteral("dock.price")); }

    QPoint pointAt(ChartPane *p, qint64 t) const
    {
        return QPoint(qRound(p->timeAxis()->coordToPixel(t / 1000.0)), p->plot()->axisRect()->rect().center().y());
    }

    static void drop(QWidget *target, QMimeData *mime)
    {
        const QPoint pos = target->rect().center();
        QDragEnterEvent enter(pos, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent dropEvent(pos, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &dropEvent);
        QVERIFY(dropEvent.isAccepted());
    }

    TimeRange shiftDrag(ChartPane *p, qint64 from, qint64 to)
    {
        const QPoint a = pointAt(p, from), b = pointAt(p, to);
        QTest::mousePress(p->plot(), Qt::LeftButton, Qt::ShiftModifier, a);
        QTest::mouseMove(p->plot(), (a + b) / 2);
        QTest::mouseMove(p->plot(), b);
        QTest::mouseRelease(p->plot(), Qt::LeftButton, Qt::ShiftModifier, b);
        return {qint64(std::llround(p->timeAxis()->pixelToCoord(a.x()) * 1000)), qint64(std::llround(p->timeAxis()->pixelToCoord(b.x()) * 1000))};
    }

private slots:
    void initTestCase()
    {
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        m_db = m_dir.filePath(QStringLiteral("r.db"));
        SyntheticSource::Params p;
        p.instrument = m_i;
        p.startMs = t0;
        p.minutes = 10 * 1440;
        p.seed = 21;
        SyntheticSource s(p);
        MarketStore::open(m_db).writer()->commit(s.generate(p.minutes));
    }

    void init()
    {
        MainWindow::Options o;
        o.store = m_db;
        o.startSource = false;
        o.persistSettings = false;
        o.instrument = m_i.key();
        m_w = std::make_unique<MainWindow>(o);
        m_w->resize(1500, 1000);
        m_w->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_w.get()));
        m_w->timeSync()->setFollowLatest(false);
        m_w->timeSync()->setVisibleRange({t0 + 2 * 86'400'000LL, t0 + 6 * 86'400'000LL}, m_w.get());
        QTRY_VERIFY(m_w->marketModel()->hasData() && m_w->marketModel()->window().range.contains(t0 + 3 * 86'400'000LL));
        QTest::qWait(30);
        for (ChartPane *p : m_w->panes())
            p->plot()->replot();
    }

    void cleanup() { m_w.reset(); }

    void shiftDragSelectsAndAnalyses()
    {
        const TimeRange expected = shiftDrag(price(), t0 + 3 * 86'400'000LL, t0 + 4 * 86'400'000LL + 7 * 3600'000);
        const TimeRange sel = m_w->timeSync()->selection();
        QCOMPARE(sel, expected);
        // Shaded in every pane: the selection tint sits under the middle of the range.
        QApplication::processEvents();
        for (ChartPane *p : m_w->panes()) {
            const QImage img = p->plot()->grab().toImage();
            const int x = qRound(p->timeAxis()->coordToPixel((sel.from + sel.to) / 2000.0));
            const int xOut = qRound(p->timeAxis()->coordToPixel((sel.to + 6 * 3600'000) / 1000.0));
            const int y = p->plot()->axisRect()->rect().top() + 3;
            QVERIFY2(img.pixelColor(x, y) != img.pixelColor(xOut, y), qPrintable(p->title() + QStringLiteral(": no shading")));
        }
        // The analysis equals what the stored rows say.
        RangeAnalysisPanel *panel = m_w->analysisPanel();
        QTRY_VERIFY(panel->analysisModel()->result().has_value());
        const RangeAnalysis::Result r = *panel->analysisModel()->result();
        auto reader = MarketStore::openExisting(m_db).reader();
        const qint64 lo = Timeframes::floor(Timeframe::M1, sel.from + 59'999), hi = Timeframes::floor(Timeframe::M1, sel.to + 59'999);
        const auto bars = reader->candles(m_i, Timeframe::M1, {lo, hi});
        QCOMPARE(r.priceOpen, bars.front().open);
        QCOMPARE(r.priceClose, bars.back().close);
        double high = 0, low = 1e300, longUsd = 0;
        for (const Candle &c : bars) {
            high = std::max(high, c.high);
            low = std::min(low, c.low);
        }
        int count = 0;
        for (const Liquidation &l : reader->liquidations(m_i, {lo, hi})) {
            longUsd += l.notional();
            ++count;
        }
        QCOMPARE(r.high, high);
        QCOMPARE(r.low, low);
        QCOMPARE(*r.longLiqCount, count);
        QVERIFY(std::abs(*r.longLiqUsd - longUsd) <= 1e-9 * (1 + longUsd));
        QCOMPARE(*r.oiStart, reader->openInterestAt(m_i, sel.from)->openInterest);
        QVERIFY(!panel->verdictText().isEmpty());
        QVERIFY(panel->figure(QStringLiteral("Long liquidations")).contains(QStringLiteral("(%1)").arg(count)));
        m_w->grab().save(QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("selection.png")));

        // The CLI gives the same numbers for the same range.
        const auto cli = TestUtil::runPerpscope({QStringLiteral("analyze"), QStringLiteral("--db"), m_db, QStringLiteral("--from"), QString::number(sel.from),
                                                 QStringLiteral("--to"), QString::number(sel.to), QStringLiteral("--json")});
        QVERIFY2(cli.exitCode == 0, qPrintable(cli.err));
        QCOMPARE(QJsonDocument::fromJson(cli.out.toUtf8()).object(), r.toJson());

        // Esc clears it everywhere.
        QTest::keyClick(m_w.get(), Qt::Key_Escape);
        QVERIFY(!m_w->timeSync()->selection().isValid());
        QTRY_VERIFY(!panel->analysisModel()->result().has_value());
    }

    void edgesAdjustAndPlainDragStillPans()
    {
        ChartPane *oi = m_w->pane(QStringLiteral("dock.oi"));
        shiftDrag(oi, t0 + 3 * 86'400'000LL, t0 + 4 * 86'400'000LL);
        const TimeRange before = m_w->timeSync()->selection();
        const QPoint edge = pointAt(oi, before.to);
        QTest::mousePress(oi->plot(), Qt::LeftButton, Qt::NoModifier, edge);
        QTest::mouseMove(oi->plot(), edge + QPoint(60, 0));
        QTest::mouseRelease(oi->plot(), Qt::LeftButton, Qt::NoModifier, edge + QPoint(60, 0));
        const TimeRange after = m_w->timeSync()->selection();
        QCOMPARE(after.from, before.from);
        QVERIFY(after.to > before.to);

        const TimeRange view = m_w->timeSync()->visibleRange();
        const QPoint c = pointAt(oi, t0 + 5 * 86'400'000LL + 3600'000);
        QTest::mousePress(oi->plot(), Qt::LeftButton, Qt::NoModifier, c);
        QTest::mouseMove(oi->plot(), c - QPoint(80, 0));
        QTest::mouseRelease(oi->plot(), Qt::LeftButton, Qt::NoModifier, c - QPoint(80, 0));
        QVERIFY(m_w->timeSync()->visibleRange().from > view.from); // panned
        QCOMPARE(m_w->timeSync()->selection(), after);            // selection untouched

        m_w->setRangeTool(true); // now a plain drag selects
        shiftDrag(oi, t0 + 4 * 86'400'000LL, t0 + 5 * 86'400'000LL);
        QVERIFY(m_w->timeSync()->selection().from > after.from);
    }

    void chipCarriesRangeAndCsv()
    {
        shiftDrag(price(), t0 + 3 * 86'400'000LL, t0 + 3 * 86'400'000LL + 6 * 3600'000);
        RangeChip *chip = m_w->analysisPanel()->chip();
        QVERIFY(chip->payload().has_value());
        std::unique_ptr<QMimeData> mime(chip->mimeData());
        const auto payload = RangeMime::decode(mime.get());
        QVERIFY(payload);
        QCOMPARE(payload->range, m_w->timeSync()->selection());
        QCOMPARE(payload->instrument, m_i);
        QCOMPARE(payload->store, StoreLocator(m_db));
        const QList<QByteArray> lines = mime->data(QStringLiteral("text/csv")).trimmed().split('\n');
        QVERIFY(lines[0].startsWith("ts,open,high,low,close,volume"));
        QVERIFY(lines.size() > 300); // six hours of 1m rows
        const int columns = int(lines[0].count(',')) + 1;
        for (const QByteArray &line : lines)
            QCOMPARE(int(line.count(',')) + 1, columns);
        QVERIFY(mime->hasUrls());
        QFile file(mime->urls().first().toLocalFile());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll().trimmed(), mime->data(QStringLiteral("text/csv")).trimmed());
        QVERIFY(mime->text().contains(m_i.key()));
    }

    void dropOnCompareAddsColumnsAndOnAChartZooms()
    {
        ComparePanel *compare = m_w->comparePanel();
        shiftDrag(price(), t0 + 3 * 86'400'000LL, t0 + 3 * 86'400'000LL + 12 * 3600'000);
        // A drag owns the mime data it carries; here the test does.
        std::unique_ptr<QMimeData> first(m_w->analysisPanel()->chip()->mimeData());
        drop(compare, first.get());
        shiftDrag(price(), t0 + 4 * 86'400'000LL, t0 + 5 * 86'400'000LL);
        std::unique_ptr<QMimeData> second(m_w->analysisPanel()->chip()->mimeData());
        drop(compare, second.get());
        QCOMPARE(compare->columnCount(), 2);
        QTRY_VERIFY(!compare->cell(QStringLiteral("Price change"), 1).isEmpty());
        QTRY_VERIFY(!compare->cell(QStringLiteral("Price change"), 0).isEmpty());
        QVERIFY(compare->cell(QStringLiteral("From"), 1).startsWith(QLatin1String("2026-01-05")));

        // Dropping a range on a chart shows that range.
        const TimeRange target{t0 + 8 * 86'400'000LL, t0 + 8 * 86'400'000LL + 3 * 3600'000};
        std::unique_ptr<QMimeData> mime(RangeMime::encode({m_db, m_i, target}));
        drop(m_w->pane(QStringLiteral("dock.funding")), mime.get());
        QVERIFY(m_w->timeSync()->visibleRange().contains(target.from));
        QVERIFY(m_w->timeSync()->visibleRange().span() < 2 * target.span());
        QCOMPARE(m_w->timeSync()->selection(), target);
    }
};

QTEST_MAIN(TestRangeSelection)
#include "tst_rangeselection.moc"
