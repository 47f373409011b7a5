#include "fuzztargets.h"
#include "testutil.h"

#include <QDirIterator>

// Every fuzz target on every seed and every kept crash input (tests/data/fuzz/<target>/),
// in the ordinary build: what a fuzzer once found stays fixed. A broken invariant aborts.
class TestFuzzInputs : public QObject
{
    Q_OBJECT

private slots:
    void everyTargetHasSeedsAndEveryFolderATarget()
    {
        QStringList targets;
        for (const auto &t : FuzzTargets::all()) {
            targets << t.name;
            const QDir dir(QStringLiteral(PERPSCOPE_FUZZ_DATA "/") + t.name);
            QVERIFY2(dir.exists() && !dir.entryList(QDir::Files).isEmpty(), qPrintable(t.name + QStringLiteral(" has no seeds")));
        }
        for (const QString &folder : QDir(QStringLiteral(PERPSCOPE_FUZZ_DATA)).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            QVERIFY2(targets.contains(folder), qPrintable(folder + QStringLiteral(" is not a fuzz target")));
    }

    void seedsAndRegressionsRunClean_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("file");
        for (const auto &t : FuzzTargets::all()) {
            QDirIterator it(QStringLiteral(PERPSCOPE_FUZZ_DATA "/") + t.name, QDir::Files);
            while (it.hasNext()) {
                const QString f = it.next();
                QTest::newRow(qPrintable(t.name + QLatin1Char('/') + QFileInfo(f).fileName())) << t.name << f;
            }
        }
    }
    void seedsAndRegressionsRunClean()
    {
        QFETCH(QString, target);
        QFETCH(QString, file);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        FuzzTargets::find(target)->run(reinterpret_cast<const uint8_t *>(bytes.constData()), size_t(bytes.size()));
    }
};

QTEST_GUILESS_MAIN(TestFuzzInputs)
#include "tst_fuzzinputs.moc"
