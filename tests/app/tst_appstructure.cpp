#include "testutil.h"

#include <QDirIterator>
#include <QRegularExpression>

// The app's structure as the code review asks for it: the parts of the window include each
// other one way only (no cycle between file pairs, e.g. export actions <-> main window), and
// nothing finds an action or widget by its translated text (a translation would break it).
class TestAppStructure : public QObject
{
    Q_OBJECT

private:
    static QString sourceRoot() { return QStringLiteral(PERPSCOPE_TEST_DATA "/../.."); }

    // unit (file name without suffix) -> units it includes, for the folders given.
    static QMap<QString, QSet<QString>> includeGraph(const QStringList &folders)
    {
        QMap<QString, QSet<QString>> graph;
        QSet<QString> units;
        QMap<QString, QString> files;
        for (const QString &folder : folders) {
            QDirIterator it(sourceRoot() + QLatin1Char('/') + folder, {QStringLiteral("*.h"), QStringLiteral("*.cpp")}, QDir::Files);
            while (it.hasNext()) {
                const QString path = it.next();
                units << QFileInfo(path).completeBaseName();
                files.insert(path, QFileInfo(path).completeBaseName());
            }
        }
        static const QRegularExpression include(QStringLiteral("^#include \"([^\"]+)\\.h\""), QRegularExpression::MultilineOption);
        for (auto f = files.cbegin(); f != files.cend(); ++f) {
            QFile file(f.key());
            if (!file.open(QIODevice::ReadOnly))
                continue;
            const QString text = QString::fromUtf8(file.readAll());
            for (auto m = include.globalMatch(text); m.hasNext();) {
                const QString target = QFileInfo(m.next().captured(1)).fileName();
                if (target != f.value() && units.contains(target))
                    graph[f.value()].insert(target);
            }
        }
        return graph;
    }

    static bool findCycle(const QMap<QString, QSet<QString>> &graph, const QString &node, QStringList &path, QSet<QString> &done)
    {
        if (path.contains(node)) {
            path << node;
            return true;
        }
        if (done.contains(node))
            return false;
        path << node;
        for (const QString &next : graph.value(node))
            if (findCycle(graph, next, path, done))
                return true;
        path.removeLast();
        done << node;
        return false;
    }

private slots:
    void noIncludeCycles()
    {
        for (const QString &folder : {QStringLiteral("app"), QStringLiteral("widgets"), QStringLiteral("models")}) {
            const auto graph = includeGraph({folder});
            QVERIFY2(!graph.isEmpty(), qPrintable(folder));
            QSet<QString> done;
            for (const QString &unit : graph.keys()) {
                QStringList path;
                QVERIFY2(!findCycle(graph, unit, path, done), qPrintable(folder + QStringLiteral(": ") + path.join(QStringLiteral(" -> "))));
            }
        }
    }

    void nothingIsFoundByItsTranslatedText()
    {
        static const QRegularExpression byText(QStringLiteral("(text|windowTitle|title)\\(\\)\\s*==\\s*tr\\("));
        for (const QString &folder : {QStringLiteral("app"), QStringLiteral("widgets")}) {
            QDirIterator it(sourceRoot() + QLatin1Char('/') + folder, {QStringLiteral("*.cpp")}, QDir::Files);
            while (it.hasNext()) {
                QFile f(it.next());
                QVERIFY(f.open(QIODevice::ReadOnly));
                const QString text = QString::fromUtf8(f.readAll());
                const auto m = byText.match(text);
                QVERIFY2(!m.hasMatch(), qPrintable(f.fileName() + QStringLiteral(": ") + m.captured(0)));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestAppStructure)
#include "tst_appstructure.moc"
