#include "commandline.h"
#include "sources/sim/simscenario.h"
#include "sources/sourcefactory.h"
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

    // The source registry drives --help; the man page lists every source under SOURCES with
    // its liquidation coverage, and every --source-option key a source takes.
    void everySourceIsDocumented()
    {
        const qsizetype from = m_man.indexOf(QStringLiteral("\n.SH SOURCES\n"));
        QVERIFY2(from >= 0, "the man page has no SOURCES section");
        const QString section = m_man.mid(from, m_man.indexOf(QStringLiteral("\n.SH "), from + 1) - from);
        QVERIFY(SourceFactory::names().size() >= 3);
        for (const SourceFactory::Entry &e : SourceFactory::entries()) {
            const QRegularExpression item(QStringLiteral("\\.TP\n\\.B %1\n([^\n]*\n)+?(\\.TP|$)").arg(e.name));
            const auto m = item.match(section + QStringLiteral("\n.TP"));
            QVERIFY2(m.hasMatch(), qPrintable(QStringLiteral("SOURCES does not list %1").arg(e.name)));
            if (e.liquidations)
                QVERIFY2(m.captured(0).contains(Coverages::qualityName(*e.liquidations)),
                         qPrintable(QStringLiteral("SOURCES does not say %1's liquidation coverage").arg(e.name)));
            QVERIFY2(CommandLine::helpText().contains(QStringLiteral("  %1: %2").arg(e.name, e.help)), qPrintable(e.name));
            for (const QString &key : e.optionKeys)
                QVERIFY2(m_man.contains(QRegularExpression(QStringLiteral("^\\.BR? %1\\b").arg(key), QRegularExpression::MultilineOption)),
                         qPrintable(QStringLiteral("--source-option %1 of %2 is not documented").arg(key, e.name)));
        }
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
