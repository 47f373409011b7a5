#include "analysis/heatmapservice.h"
#include "comparemodel.h"
#include "domain/displayformat.h"
#include "comparepanel.h"
#include "rangemime.h"
#include "syntheticstore.h"
#include "testutil.h"

#include <QDragEnterEvent>
#include <QMimeData>
#include <QScrollBar>
#include <QTableWidget>

// Compare: every column keeps its own range and numbers, however many are added (the
// defect: each new result was written into every column whose analysis model had lived at
// the same address), removed or dropped.
class TestComparePanel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    const Instrument m_i{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
    static constexpr qint64 t0 = 1'767'225'600'000; // 2026-01-01
    static constexpr qint64 day = 86'400'000;

    RangeMime::Payload range(qint64 fromDay, qint64 toDay) const { return {m_db, m_i, {t0 + fromDay * day, t0 + toDay * day}}; }

    static void drop(QWidget *target, QMimeData *mime)
    {
        const QPoint pos = target->rect().center();
        QDragEnterEvent enter(pos, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(pos, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &drop);
        QVERIFY(drop.isAccepted());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("compare.db"));
        SyntheticStore::fill(m_db, m_i, t0, 20 * 1440, 5);
    }

    void everyColumnKeepsItsOwnRange()
    {
        ComparePanel panel;
        panel.resize(700, 500);
        panel.show();
        // One after the other, each finished before the next is added (as a user does it).
        const QList<RangeMime::Payload> ranges = {range(16, 17), range(13, 15), range(2, 5)};
        for (int k = 0; k < ranges.size(); ++k) {
            panel.addRange(ranges[k]);
            QTRY_COMPARE_WITH_TIMEOUT(panel.model()->column(k).state, CompareModel::Column::State::Done, 10000);
        }
        QCOMPARE(panel.columnCount(), 3);
        QSet<QString> changes;
        for (int k = 0; k < ranges.size(); ++k) {
            const QString from = QDateTime::fromMSecsSinceEpoch(ranges[k].range.from, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
            const QString to = QDateTime::fromMSecsSinceEpoch(ranges[k].range.to, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
            QCOMPARE(panel.cell(QStringLiteral("From"), k), from);
            QCOMPARE(panel.cell(QStringLiteral("To"), k), to);
            QCOMPARE(panel.model()->column(k).result->range, ranges[k].range);
            changes << panel.cell(QStringLiteral("Price change"), k) + panel.cell(QStringLiteral("High / low"), k);
        }
        QCOMPARE(changes.size(), 3); // three different ranges, three different readings
    }

    // Issue 19 item 4: Compare said "n/a" for zones consumed even with the panes' heatmap
    // shared. Now a column shows the predicted notional the path consumed per side (as the
    // range analysis does), and a range inside the model's warm-up says so.
    void zonesConsumedShowWhatThePathConsumed()
    {
        ComparePanel panel;
        panel.model()->setHeatmap(std::make_shared<HeatmapService>(m_db), HeatmapParams{});
        panel.resize(700, 600);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.addRange(range(15, 18)); // after the week of warm-up
        panel.addRange(range(0, 1));   // inside it
        QTRY_VERIFY_WITH_TIMEOUT(panel.model()->column(0).state == CompareModel::Column::State::Done
                                     && panel.model()->column(1).state == CompareModel::Column::State::Done,
                                 60000);
        const RangeAnalysis::Result &r = *panel.model()->column(0).result;
        QVERIFY(r.consumption && r.consumption->isKnown());
        QVERIFY(r.consumption->totalUsd() > 0);
        const QString cell = panel.cell(QStringLiteral("Zones consumed"), 0);
        QVERIFY2(!cell.contains(QLatin1String("n/a")), qPrintable(cell));
        QVERIFY2(cell.contains(QStringLiteral("longs %1").arg(DisplayFormat::usd(r.consumption->longUsd))), qPrintable(cell));
        QVERIFY2(cell.contains(QStringLiteral("shorts %1").arg(DisplayFormat::usd(r.consumption->shortUsd))), qPrintable(cell));
        QVERIFY2(cell.startsWith(QString::number(r.consumption->zones.size()) + QLatin1Char(' ')), qPrintable(cell));
        const QString warming = panel.cell(QStringLiteral("Zones consumed"), 1);
        QVERIFY2(warming.startsWith(QLatin1String("heatmap warming up until")), qPrintable(warming));

        // Without a heatmap it is said, not shown as zero.
        ComparePanel bare;
        bare.addRange(range(15, 18));
        QTRY_COMPARE_WITH_TIMEOUT(bare.model()->column(0).state, CompareModel::Column::State::Done, 30000);
        QCOMPARE(bare.cell(QStringLiteral("Zones consumed"), 0), QStringLiteral("n/a (no heatmap)"));
    }

    // Journey 3 on a real window: in the dock's width (about 420 px) the second range was
    // behind a horizontal scroll bar, the first column filling the dock. Columns share the
    // width; long figures wrap inside their cell instead of being cut.
    void twoRangesStandSideBySideInADock()
    {
        ComparePanel panel;
        panel.resize(420, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        for (const auto &r : {range(16, 19), range(3, 7)})
            panel.addRange(r);
        QTRY_VERIFY_WITH_TIMEOUT(panel.model()->column(0).state == CompareModel::Column::State::Done
                                     && panel.model()->column(1).state == CompareModel::Column::State::Done,
                                 15000);
        QApplication::processEvents();
        QTableWidget *t = panel.table();
        const int viewport = t->viewport()->width();
        for (int c = 0; c < 2; ++c) {
            QVERIFY2(t->columnViewportPosition(c) >= 0 && t->columnViewportPosition(c) + t->columnWidth(c) <= viewport,
                     qPrintable(QStringLiteral("column %1 at %2 + %3, viewport %4").arg(c).arg(t->columnViewportPosition(c)).arg(t->columnWidth(c)).arg(viewport)));
            QVERIFY(t->horizontalHeaderItem(c)->text().startsWith(QStringLiteral("#%1 · ").arg(panel.model()->column(c).id)));
            // Every figure fits its cell: wrapped onto as many lines as the row is high.
            for (int row = 0; row < t->rowCount(); ++row) {
                const QTableWidgetItem *item = t->item(row, c);
                if (!item)
                    continue;
                const QRect need = t->fontMetrics().boundingRect(QRect(0, 0, t->columnWidth(c) - 8, 10'000), Qt::TextWordWrap, item->text());
                QVERIFY2(need.height() <= t->rowHeight(row),
                         qPrintable(QStringLiteral("'%1' needs %2 px, row %3 is %4 px").arg(item->text()).arg(need.height()).arg(row).arg(t->rowHeight(row))));
            }
        }
        QVERIFY(!t->horizontalScrollBar()->isVisible());
    }

    void addedAtOnceAndRemovedWhileRunning()
    {
        ComparePanel panel;
        panel.show();
        for (int k = 0; k < 5; ++k)
            panel.addRange(range(k, k + 2));
        panel.model()->remove(1); // before its result is in
        QCOMPARE(panel.columnCount(), 4);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (int k = 0; k < panel.model()->count(); ++k)
                    if (panel.model()->column(k).state != CompareModel::Column::State::Done)
                        return false;
                return true;
            }(),
            15000);
        const QList<int> days = {0, 2, 3, 4};
        for (int k = 0; k < days.size(); ++k) {
            QCOMPARE(panel.model()->column(k).result->range, range(days[k], days[k] + 2).range);
            QVERIFY(panel.cell(QStringLiteral("From"), k).startsWith(QStringLiteral("2026-01-%1").arg(days[k] + 1, 2, 10, QLatin1Char('0'))));
        }
        // Column headers follow the model.
        QCOMPARE(panel.table()->horizontalHeaderItem(1)->toolTip(), RangeMime::label(range(2, 4)));
        panel.model()->clear();
        QCOMPARE(panel.columnCount(), 0);
    }

    void dropsAddColumnsAndFailuresSaySo()
    {
        ComparePanel panel;
        panel.show();
        std::unique_ptr<QMimeData> mime(RangeMime::encode(range(6, 7)));
        drop(&panel, mime.get());
        QCOMPARE(panel.columnCount(), 1);
        // A range on an instrument the database does not have: the column says why.
        RangeMime::Payload missing = range(6, 7);
        missing.instrument.symbol = QStringLiteral("NOPEUSDT");
        panel.addRange(missing);
        QTRY_COMPARE_WITH_TIMEOUT(panel.model()->column(1).state, CompareModel::Column::State::Failed, 10000);
        QVERIFY(!panel.model()->column(1).error.isEmpty());
        QCOMPARE(panel.cell(QStringLiteral("Verdict"), 1), panel.model()->column(1).error);
        QTRY_COMPARE_WITH_TIMEOUT(panel.model()->column(0).state, CompareModel::Column::State::Done, 10000);
        // Something that is not a range is refused.
        QMimeData text;
        text.setText(QStringLiteral("hello"));
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&panel, &enter);
        QVERIFY(!enter.isAccepted());
    }
};

QTEST_MAIN(TestComparePanel)
#include "tst_comparepanel.moc"
