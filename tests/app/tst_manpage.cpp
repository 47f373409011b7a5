#include "commandline.h"
#include "sources/sim/simscenario.h"
#include "testutil.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>

// The manual page (packaging/perpscope.1.in) documents the command line that
// `perpscope --help` prints: every command and every option, and no command that does not
// exist. A new command or option in CommandLine::helpText() fails here until the man page
// has it too.
class TestManPage : public QObject
{
    Q_OBJECT

private:
    QString m_man; // the roff source with font escapes removed and \- read as -

    static QSet<QString> helpCommands()
    {
        // "perpscope backfill --db", "perpscope export csv --db": the words before the options.
        static const QRegularExpression re(QStringLiteral("perpscope ((?:[a-z][a-z-]* )+)(?=--)"));
        QSet<QString> out;
        for (const auto &m : re.globalMatch(CommandLine::helpText()))
            out << m.captured(1).trimmed();
        return out;
    }

    QSet<QString> manSections() const
    {
        static const QRegularExpression re(QStringLiteral("^\\.SS (.+)$"), QRegularExpression::MultilineOption);
        QSet<QString> out;
        for (const auto &m : re.globalMatch(m_man))
            out << m.captured(1).trimmed();
        return out;
    }

private slots:
    void initTestCase()
    {
        QFile f(QDir::cleanPath(QStringLiteral(PERPSCOPE_TEST_DATA "/../../packaging/perpscope.1.in")));
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
        m_man = QString::fromUtf8(f.readAll());
        m_man.replace(QStringLiteral("\\-"), QStringLiteral("-"));
        m_man.remove(QRegularExpression(QStringLiteral("\\\\f[BIRP]")));
        QVERIFY(!helpCommands().isEmpty());
    }

    void everyCommandHasASection()
    {
        const QSet<QString> commands = helpCommands();
        QVERIFY(commands.contains(QStringLiteral("backfill")));
        for (const QString &c : commands)
            QVERIFY2(manSections().contains(c), qPrintable(QStringLiteral("the man page has no '.SS %1' section").arg(c)));
        for (const QString &s : manSections())
            QVERIFY2(commands.contains(s), qPrintable(QStringLiteral("the man page documents '%1', which --help does not list").arg(s)));
    }

    void everyOptionIsDocumented()
    {
        static const QRegularExpression option(QStringLiteral("--[a-z][a-z-]*[a-z]"));
        QSet<QString> options;
        for (const auto &m : option.globalMatch(CommandLine::helpText()))
            options << m.captured(0);
        QVERIFY(options.contains(QStringLiteral("--screenshot-after")));
        for (const QString &o : options) {
            // The whole option, not a prefix of a longer one (--screenshot vs --screenshot-after).
            const QRegularExpression exact(QRegularExpression::escape(o) + QStringLiteral("(?![a-z-])"));
            QVERIFY2(m_man.contains(exact), qPrintable(QStringLiteral("the man page does not mention %1").arg(o)));
        }
    }

    void simulatorPresetsAndParametersAreDocumented()
    {
        for (const QString &preset : SimScenario::presets())
            QVERIFY2(m_man.contains(QRegularExpression(QStringLiteral("^\\.B[R]? .*\\b%1\\b").arg(preset), QRegularExpression::MultilineOption)),
                     qPrintable(preset));
        for (const QString &name : SimScenario::parameterNames())
            QVERIFY2(m_man.contains(QRegularExpression(QStringLiteral("^\\.BR? .*\\b%1\\b").arg(name), QRegularExpression::MultilineOption)),
                     qPrintable(QStringLiteral("--param %1 is not documented").arg(name)));
    }

    void csvKindsAreDocumented()
    {
        const QString help = CommandLine::helpText();
        static const QRegularExpression kinds(QStringLiteral("CSV kinds: ([a-z_, ]+)\\."));
        const auto m = kinds.match(help);
        QVERIFY(m.hasMatch());
        for (const QString &k : m.captured(1).split(QStringLiteral(", ")))
            QVERIFY2(m_man.contains(QRegularExpression(QStringLiteral("^\\.B[R]? .*\\b%1\\b").arg(k), QRegularExpression::MultilineOption)),
                     qPrintable(k));
    }
};

QTEST_GUILESS_MAIN(TestManPage)
#include "tst_manpage.moc"
