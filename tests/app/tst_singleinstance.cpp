#include "testutil.h"

#include <QFile>
#include <QLocalSocket>
#include <QProcess>

#include <memory>

// Starts real perpscope GUI processes (offscreen, with a private HOME and runtime dir) and
// checks the single-instance contract: a second launch on the same database hands its files
// to the first and exits 0; another database gets its own window; a crashed first launch
// does not block the next one.
class TestSingleInstance : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    struct Gui
    {
        std::unique_ptr<QProcess> process = std::make_unique<QProcess>();
        QString err; // everything it printed on stderr so far
    };

    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString runtimeDir() const { return path(QStringLiteral("runtime")); }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), path(QStringLiteral("home")));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtimeDir());
        env.insert(QStringLiteral("XDG_DATA_HOME"), path(QStringLiteral("home/data")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), path(QStringLiteral("home/config")));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        return env;
    }

    std::unique_ptr<Gui> startGui(const QStringList &args)
    {
        auto gui = std::make_unique<Gui>();
        Gui *g = gui.get();
        g->process->setProcessEnvironment(environment());
        connect(g->process.get(), &QProcess::readyReadStandardError, this,
                [g] { g->err += QString::fromUtf8(g->process->readAllStandardError()); });
        g->process->start(QStringLiteral(PERPSCOPE_BINARY), args);
        return gui;
    }

    QStringList lockFiles() const { return QDir(runtimeDir()).entryList({QStringLiteral("perpscope-*.lock")}, QDir::Files); }

    // The primary is in charge once its lock file names its pid (it listens right after).
    bool ownsALock(const Gui &g) const
    {
        const QString pid = QString::number(g.process->processId());
        for (const QString &name : lockFiles()) {
            QFile f(QDir(runtimeDir()).filePath(name));
            if (f.open(QIODevice::ReadOnly) && QString::fromLatin1(f.readLine()).trimmed() == pid)
                return true;
        }
        return false;
    }

    // A second launch: waits for it to exit, returns its exit code (-1 if it did not).
    static int runSecond(const QStringList &args, const QProcessEnvironment &env, const QString &workingDir, QString *err)
    {
        QProcess p;
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(workingDir);
        p.start(QStringLiteral(PERPSCOPE_BINARY), args);
        if (!p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished();
            return -1;
        }
        *err = QString::fromUtf8(p.readAllStandardError());
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }

    static void stop(Gui &g)
    {
        g.process->kill();
        g.process->waitForFinished();
    }

    QStringList guiArgs(const QString &db) const { return {QStringLiteral("--db"), db, QStringLiteral("--source"), QStringLiteral("synthetic")}; }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir().mkpath(runtimeDir()));
        QVERIFY(QFile::setPermissions(runtimeDir(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
        QVERIFY(QDir().mkpath(path(QStringLiteral("drop"))));
        for (const char *name : {"drop/klines.csv", "drop/metrics.zip"}) {
            QFile f(path(QString::fromLatin1(name)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("ts,open\n");
        }
    }

    void secondLaunchHandsOverFilesAndExits()
    {
        const QString db = path(QStringLiteral("a.db"));
        auto first = startGui(guiArgs(db));
        QTRY_VERIFY_WITH_TIMEOUT(ownsALock(*first), 30000);

        // Relative paths are resolved against the second launch's working directory.
        QString err;
        const int code = runSecond({QStringLiteral("--db"), db, QStringLiteral("klines.csv"), path(QStringLiteral("drop/metrics.zip"))},
                                   environment(), path(QStringLiteral("drop")), &err);
        QVERIFY2(code == 0, qPrintable(QStringLiteral("exit %1: %2").arg(code).arg(err)));
        const QString expected = QStringLiteral("files to import: 2: %1, %2")
                                     .arg(path(QStringLiteral("drop/klines.csv")), path(QStringLiteral("drop/metrics.zip")));
        QTRY_VERIFY2_WITH_TIMEOUT(first->err.contains(expected), qPrintable(first->err), 30000);
        QCOMPARE(first->process->state(), QProcess::Running);

        QVERIFY(!first->err.contains(QLatin1String("activation token")));

        // A plain second launch only raises the window; it passes on the launcher's Wayland
        // activation token.
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("XDG_ACTIVATION_TOKEN"), QStringLiteral("token-from-the-launcher"));
        QCOMPARE(runSecond({QStringLiteral("--db"), db}, env, m_dir.path(), &err), 0);
        QTRY_VERIFY2_WITH_TIMEOUT(first->err.contains(QLatin1String("raised by another launch (with an activation token); files to import: 0")),
                                  qPrintable(first->err), 30000);
        QCOMPARE(first->process->state(), QProcess::Running);
        stop(*first);
    }

    void otherDatabaseGetsItsOwnWindow()
    {
        auto a = startGui(guiArgs(path(QStringLiteral("one.db"))));
        QTRY_VERIFY_WITH_TIMEOUT(ownsALock(*a), 30000);
        auto b = startGui(guiArgs(path(QStringLiteral("two.db"))));
        QTRY_VERIFY_WITH_TIMEOUT(ownsALock(*b), 30000);
        QCOMPARE(a->process->state(), QProcess::Running);

        QString err;
        QCOMPARE(runSecond({QStringLiteral("--db"), path(QStringLiteral("two.db")), path(QStringLiteral("drop/klines.csv"))}, environment(),
                           m_dir.path(), &err),
                 0);
        QTRY_VERIFY2_WITH_TIMEOUT(b->err.contains(QLatin1String("files to import: 1")), qPrintable(b->err), 30000);
        QVERIFY(!a->err.contains(QLatin1String("files to import")));
        stop(*a);
        stop(*b);
    }

    // The first launch names the database through a link before the file exists; the second
    // names the real path of the file it created: still the same database.
    void sameDatabaseThroughALinkIsTheSameWindow()
    {
        QVERIFY(QDir().mkpath(path(QStringLiteral("real"))));
        QVERIFY(QFile::link(path(QStringLiteral("real")), path(QStringLiteral("link"))));
        auto first = startGui(guiArgs(path(QStringLiteral("link/new/linked.db"))));
        QTRY_VERIFY_WITH_TIMEOUT(ownsALock(*first), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(path(QStringLiteral("real/new/linked.db"))), 30000);
        QString err;
        QCOMPARE(runSecond({QStringLiteral("--db"), path(QStringLiteral("real/new/linked.db"))}, environment(), m_dir.path(), &err), 0);
        QTRY_VERIFY2_WITH_TIMEOUT(first->err.contains(QLatin1String("files to import: 0")), qPrintable(first->err), 30000);
        stop(*first);
    }

    void crashedFirstLaunchDoesNotBlock()
    {
        const QString db = path(QStringLiteral("crash.db"));
        auto first = startGui(guiArgs(db));
        QTRY_VERIFY_WITH_TIMEOUT(ownsALock(*first), 30000);
        stop(*first); // SIGKILL: the lock and socket files stay behind

        auto next = startGui(guiArgs(db));
        QTRY_VERIFY_WITH_TIMEOUT(ownsALock(*next), 30000);
        QString err;
        QCOMPARE(runSecond({QStringLiteral("--db"), db, path(QStringLiteral("drop/klines.csv"))}, environment(), m_dir.path(), &err), 0);
        QTRY_VERIFY2_WITH_TIMEOUT(next->err.contains(QLatin1String("files to import: 1")), qPrintable(next->err), 30000);
        stop(*next);
    }

    void garbageOnTheSocketIsIgnored()
    {
        const QString db = path(QStringLiteral("garbage.db"));
        auto first = startGui(guiArgs(db));
        QTRY_VERIFY_WITH_TIMEOUT(ownsALock(*first), 30000);
        // Whatever socket the primary listens on: send each one something that is not a
        // hand-over (the other primaries of this test are gone, so only ours answers). The
        // lock is written just before the socket listens: on a loaded machine the socket may
        // not be there yet (a 2 s connect timeout and a single look once failed under load).
        const auto sendGarbage = [this] {
            int answered = 0;
            for (const QString &name : QDir(runtimeDir()).entryList({QStringLiteral("perpscope-*.socket")}, QDir::System | QDir::Files)) {
                QLocalSocket s;
                s.connectToServer(QDir(runtimeDir()).filePath(name));
                if (!s.waitForConnected(30000)) // a stale socket of a killed primary refuses at once
                    continue;
                ++answered;
                s.write("GET / HTTP/1.0\r\n\r\n");
                s.waitForBytesWritten(30000);
                s.waitForDisconnected(10000); // the primary drops it
            }
            return answered;
        };
        int answered = 0;
        QTRY_VERIFY_WITH_TIMEOUT((answered = sendGarbage()) > 0, 30000);
        QCOMPARE(answered, 1);
        QTRY_VERIFY2_WITH_TIMEOUT(first->err.contains(QLatin1String("not a Perpscope hand-over")), qPrintable(first->err), 30000);

        QString err;
        QCOMPARE(runSecond({QStringLiteral("--db"), db, path(QStringLiteral("drop/klines.csv"))}, environment(), m_dir.path(), &err), 0);
        QTRY_VERIFY2_WITH_TIMEOUT(first->err.contains(QLatin1String("files to import: 1")), qPrintable(first->err), 30000);
        stop(*first);
    }

    void missingFileIsABadArgument()
    {
        QString err;
        QCOMPARE(runSecond({QStringLiteral("--db"), path(QStringLiteral("m.db")), path(QStringLiteral("drop/nothere.csv"))}, environment(),
                           m_dir.path(), &err),
                 2);
        QVERIFY2(err.trimmed().startsWith(QLatin1String("perpscope: ")) && err.contains(QLatin1String("nothere.csv: no such file")),
                 qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "tst_singleinstance.moc"
