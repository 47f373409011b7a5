#include "chartpane.h"
#include "displayformat.h"
#include "fundingpane.h"
#include "marketwindowmodel.h"
#include "pricepane.h"
#include "sources/syntheticsource.h"
#include "storage/marketstore.h"
#include "storage/storewriter.h"
#include "testutil.h"
#include "timesync.h"

#include <QVBoxLayout>
#include <QWheelEvent>
#include <qcustomplot.h>

// ChartPane's interactions on real panes over a real store: the wheel zooms around the
// mouse, a drag pans, Shift-drag selects, a selection's edges can be dragged (across each
// other too), a click is not a selection, Esc clears it; and the cursor follows the mouse
// when the axes move under a still mouse (wheel, keys, new data), tags included.
class TestChartPane : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    const Instrument m_i{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
    static constexpr qint64 t0 = 1'767'225'600'000;
    static constexpr qint64 day = 86'400'000;

    struct Panes
    {
        QWidget window;
        TimeSync sync;
        MarketWindowModel *model = nullptr;
        PricePane *price = nullptr;
        FundingPane *funding = nullptr;
    };

    std::unique_ptr<Panes> makePanes()
    {
        auto p = std::make_unique<Panes>();
        p->model = new MarketWindowModel(m_db, &p->sync, &p->window);
        p->price = new PricePane(&p->sync, p->model);
        p->funding = new FundingPane(&p->sync, p->model);
        auto *layout = new QVBoxLayout(&p->window);
        layout->addWidget(p->price, 3);
        layout->addWidget(p->funding, 1);
        p->window.resize(1200, 800);
        p->model->setInstrument(m_i);
        p->window.show();
        if (!QTest::qWaitForWindowExposed(&p->window))
            return nullptr;
        if (!QTest::qWaitFor([&] { return p->model->hasData() && p->sync.visibleRange().isValid(); }, 10000))
            return nullptr;
        // A fixed view in the middle of the data, so zooms and pans have room.
        p->sync.setFollowLatest(false);
        p->sync.setVisibleRange({t0 + 3 * day, t0 + 5 * day}, &p->window);
        if (!QTest::qWaitFor([&] { return p->model->window().range.contains(t0 + 3 * day); }, 10000))
            return nullptr;
        QApplication::processEvents();
        return p;
    }

    static QPoint at(ChartPane *p, qint64 t, double yRatio = 0.5)
    {
        const QRect r = p->plot()->axisRect()->rect();
        return {qRound(p->timeAxis()->coordToPixel(t / 1000.0)), r.top() + int(r.height() * yRatio)};
    }

    static qint64 timeAt(ChartPane *p, int x) { return qint64(std::llround(p->timeAxis()->pixelToCoord(x) * 1000.0)); }

    static void wheel(ChartPane *p, QPoint pos, int deltaY)
    {
        QWheelEvent e(pos, p->plot()->mapToGlobal(pos), QPoint(), QPoint(0, deltaY), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(p->plot(), &e);
    }

    static void drag(ChartPane *p, QPoint from, QPoint to, Qt::KeyboardModifiers mods = Qt::NoModifier)
    {
        QTest::mousePress(p->plot(), Qt::LeftButton, mods, from);
        QTest::mouseMove(p->plot(), (from + to) / 2);
        QTest::mouseMove(p->plot(), to);
        QTest::mouseRelease(p->plot(), Qt::LeftButton, mods, to);
    }

    // Rows of the value-axis strip painted in the cursor colour (where the value tag is).
    static QList<int> tagRows(ChartPane *p)
    {
        p->plot()->replot();
        const QImage img = p->plot()->grab().toImage();
        const QRect r = p->plot()->axisRect()->rect();
        const QColor want = p->theme().cursor;
        QList<int> rows;
        for (int y = r.top(); y <= r.bottom(); ++y) {
            int hits = 0;
            for (int x = r.right() + 2; x < img.width(); ++x) {
                const QColor c = img.pixelColor(x, y);
                if (std::abs(c.red() - want.red()) + std::abs(c.green() - want.green()) + std::abs(c.blue() - want.blue()) < 20)
                    ++hits;
            }
            if (hits > 20)
                rows << y;
        }
        return rows;
    }

    // The cursor is where the mouse is: time under it, value at its height, tag at its row.
    static void verifyCursorAtMouse(ChartPane *p, const TimeSync &sync, QPoint mouse)
    {
        QVERIFY(sync.cursor().has_value());
        QVERIFY2(std::abs(*sync.cursor() - timeAt(p, mouse.x())) <= 1,
                 qPrintable(QStringLiteral("cursor %1, under the mouse %2").arg(*sync.cursor()).arg(timeAt(p, mouse.x()))));
        QCOMPARE(p->cursorValueText(), DisplayFormat::price(p->valueAxis()->pixelToCoord(mouse.y())));
        const QList<int> rows = tagRows(p);
        QVERIFY2(!rows.isEmpty() && rows.first() <= mouse.y() && rows.last() >= mouse.y(),
                 qPrintable(QStringLiteral("tag rows %1..%2, mouse at %3").arg(rows.value(0)).arg(rows.value(rows.size() - 1)).arg(mouse.y())));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("pane.db"));
        SyntheticSource::Params p;
        p.instrument = m_i;
        p.startMs = t0;
        p.minutes = 8 * 1440;
        p.seed = 17;
        SyntheticSource source(p);
        MarketStore::open(m_db).writer()->commit(source.generate(p.minutes));
    }

    void wheelZoomsAroundTheMouseAndCursorFollows()
    {
        auto p = makePanes();
        QVERIFY(p);
        const QPoint mouse = at(p->price, t0 + 4 * day + 3 * 3600'000, 0.3);
        QTest::mouseMove(p->price->plot(), mouse);
        verifyCursorAtMouse(p->price, p->sync, mouse);
        const qint64 anchor = timeAt(p->price, mouse.x());
        const TimeRange before = p->sync.visibleRange();
        wheel(p->price, mouse, 240);
        const TimeRange after = p->sync.visibleRange();
        QVERIFY(after.span() < before.span());
        // The time under the mouse stays under the mouse.
        QVERIFY(std::abs(timeAt(p->price, mouse.x()) - anchor) < after.span() / 1000);
        // Wait for the finer window and its new value axis: the cursor keeps up without a move.
        QTRY_VERIFY_WITH_TIMEOUT(p->model->window().timeframe == p->model->timeframeFor(after) && p->model->window().range.contains(after.from), 10000);
        QApplication::processEvents();
        verifyCursorAtMouse(p->price, p->sync, mouse);
        // Zoom out past the data's extent: it stops near the data.
        for (int k = 0; k < 30; ++k)
            wheel(p->price, mouse, -240);
        QVERIFY(p->sync.visibleRange().span() < 10 * day);
        QTRY_VERIFY(p->model->window().range.contains(p->sync.visibleRange().from));
        QApplication::processEvents();
        verifyCursorAtMouse(p->price, p->sync, mouse);
    }

    void keyboardNavigationMovesTheCursorWithTheAxes()
    {
        auto p = makePanes();
        QVERIFY(p);
        const QPoint mouse = at(p->price, t0 + 4 * day, 0.7);
        QTest::mouseMove(p->price->plot(), mouse);
        const QString before = p->price->cursorValueText();
        // What the +, - and arrow keys do: TimeSync changes without the mouse moving.
        const TimeRange v = p->sync.visibleRange();
        p->sync.zoom(0.7, v.from + v.span() / 2, &p->window);
        QApplication::processEvents();
        verifyCursorAtMouse(p->price, p->sync, mouse);
        p->sync.pan(p->sync.visibleRange().span() / 8, &p->window);
        QTRY_VERIFY(p->model->window().range.contains(p->sync.visibleRange().to - 1));
        QApplication::processEvents();
        verifyCursorAtMouse(p->price, p->sync, mouse);
        QVERIFY(!before.isEmpty());
        // The other pane shows the same cursor time, without tags of its own.
        QVERIFY(p->funding->cursorValueText().isEmpty());
        QTest::mouseMove(p->price->plot(), QPoint(2, 2)); // off the plot
        QVERIFY(!p->sync.cursor().has_value());
        QVERIFY(p->price->cursorValueText().isEmpty());
    }

    void dragPansAndShiftDragSelects()
    {
        auto p = makePanes();
        QVERIFY(p);
        const TimeRange before = p->sync.visibleRange();
        drag(p->funding, at(p->funding, t0 + 4 * day), at(p->funding, t0 + 4 * day) + QPoint(150, 0));
        QCOMPARE(p->sync.visibleRange().span(), before.span());
        QVERIFY(p->sync.visibleRange().from < before.from);
        QVERIFY(!p->sync.selection().isValid());

        const qint64 a = t0 + 3 * day + 6 * 3600'000, b = t0 + 3 * day + 14 * 3600'000;
        const TimeRange view = p->sync.visibleRange();
        drag(p->price, at(p->price, a), at(p->price, b), Qt::ShiftModifier);
        const TimeRange sel = p->sync.selection();
        QVERIFY(sel.isValid());
        QVERIFY(std::abs(sel.from - a) < 5 * 60'000 && std::abs(sel.to - b) < 5 * 60'000);
        QCOMPARE(p->sync.visibleRange(), view); // selecting does not pan
        // Right to left gives the same kind of range (a new one: away from the old edges).
        const qint64 c = b + 3 * 3600'000, d = b + 9 * 3600'000;
        drag(p->price, at(p->price, d), at(p->price, c), Qt::ShiftModifier);
        QVERIFY(std::abs(p->sync.selection().from - c) < 5 * 60'000 && std::abs(p->sync.selection().to - d) < 5 * 60'000);
        drag(p->price, at(p->price, a), at(p->price, b), Qt::ShiftModifier);
        // The selection is shaded in every pane (pixel check in the other pane).
        p->funding->plot()->replot();
        const QImage img = p->funding->plot()->grab().toImage();
        const int inside = at(p->funding, (a + b) / 2).x(), outside = at(p->funding, b + 6 * 3600'000).x();
        const int y = p->funding->plot()->axisRect()->rect().top() + 5;
        QVERIFY(img.pixelColor(inside, y) != img.pixelColor(outside, y));
        // A click (or a sliver under a minute) is not a selection.
        drag(p->price, at(p->price, a + 12 * 3600'000), at(p->price, a + 12 * 3600'000), Qt::ShiftModifier);
        QVERIFY(!p->sync.selection().isValid());
    }

    void selectionEdgesAdjustAndCross()
    {
        auto p = makePanes();
        QVERIFY(p);
        const qint64 a = t0 + 3 * day + 6 * 3600'000, b = t0 + 4 * day;
        p->sync.setSelection({a, b});
        QApplication::processEvents();
        // Grab the right edge and drag it right.
        const QPoint right = at(p->funding, b);
        drag(p->funding, right, right + QPoint(80, 0));
        QCOMPARE(p->sync.selection().from, a);
        QVERIFY(p->sync.selection().to > b);
        const qint64 grown = p->sync.selection().to;
        // Grab the left edge and drag it past the right one: the range flips, nothing is lost.
        const QPoint left = at(p->funding, a);
        const QPoint beyond = at(p->funding, grown) + QPoint(60, 0);
        drag(p->funding, left, beyond);
        const TimeRange flipped = p->sync.selection();
        QVERIFY2(std::abs(flipped.from - grown) < 2 * 60'000, qPrintable(QString::number(flipped.from - grown)));
        QVERIFY(flipped.to > grown);
        // The cursor shape says an edge can be grabbed.
        QTest::mouseMove(p->funding->plot(), at(p->funding, flipped.to));
        QCOMPARE(p->funding->plot()->cursor().shape(), Qt::SizeHorCursor);
        // Esc clears it.
        p->funding->setFocus();
        QTest::keyClick(p->funding, Qt::Key_Escape);
        QVERIFY(!p->sync.selection().isValid());
    }

    void rangeToolMakesAPlainDragSelect()
    {
        auto p = makePanes();
        QVERIFY(p);
        p->price->setRangeTool(true);
        const TimeRange view = p->sync.visibleRange();
        drag(p->price, at(p->price, t0 + 3 * day + 3600'000), at(p->price, t0 + 3 * day + 9 * 3600'000));
        QVERIFY(p->sync.selection().isValid());
        QCOMPARE(p->sync.visibleRange(), view);
    }
};

QTEST_MAIN(TestChartPane)
#include "tst_chartpane.moc"
