#include "aggregatecommand.h"

#include "clisupport.h"
#include "domain/aggregates.h"
#include "storage/aggregatereader.h"
#include "storage/marketstore.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

using namespace CliSupport;

namespace {

Instrument aggregateValue(const QString &option, const QString &text)
{
    const Instrument i = Instrument::parse(text, {});
    if (!Aggregates::isAggregate(i))
        usage(QStringLiteral("--%1: '%2' is not an aggregate (ALL:<underlying>, like ALL:BTC)").arg(option, text));
    return i;
}

} // namespace

int AggregateCommand::run(const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({
        {QStringLiteral("db"), QStringLiteral("Database file."), QStringLiteral("path")},
        {QStringLiteral("define"), QStringLiteral("Store a member set for this aggregate (ALL:BTC)."), QStringLiteral("aggregate")},
        {QStringLiteral("members"), QStringLiteral("With --define: the members, comma-separated, the price reference first."), QStringLiteral("list")},
        {QStringLiteral("clear"), QStringLiteral("Forget the stored set: the default rule again."), QStringLiteral("aggregate")},
        {QStringLiteral("json"), QStringLiteral("Print one JSON object.")},
    });
    parse(p, args);
    const StoreLocator store = storeLocator(p);
    if (p.isSet(QStringLiteral("define")) && p.isSet(QStringLiteral("clear")))
        usage(QStringLiteral("--define and --clear exclude each other"));
    if (p.isSet(QStringLiteral("define")) != p.isSet(QStringLiteral("members")))
        usage(QStringLiteral("--define and --members go together"));
    try {
        if (p.isSet(QStringLiteral("define")) || p.isSet(QStringLiteral("clear"))) {
            const MarketStore s = MarketStore::openExisting(store);
            const bool define = p.isSet(QStringLiteral("define"));
            const Instrument aggregate = aggregateValue(define ? QStringLiteral("define") : QStringLiteral("clear"),
                                                        p.value(define ? QStringLiteral("define") : QStringLiteral("clear")));
            QString members;
            if (define) {
                QString error;
                const QList<Instrument> list = Aggregates::parse(p.value(QStringLiteral("members")), &error);
                if (!error.isEmpty())
                    usage(QStringLiteral("--members: ") + error);
                if (const QString why = Aggregates::validate(aggregate, list); !why.isEmpty())
                    usage(QStringLiteral("--members: ") + why);
                auto reader = s.reader();
                for (const Instrument &i : list)
                    if (!reader->hasInstrument(i))
                        throw Error(QStringLiteral("--members: %1 is not in database %2").arg(i.key(), store.display()));
                members = Aggregates::format(list);
            }
            s.writer()->setMeta(Aggregates::metaKey(aggregate), members); // empty: the default rule
        }
        auto reader = MarketStore::openReadOnly(store).reader();
        QTextStream out(stdout);
        QJsonArray list;
        for (const Instrument &a : reader->aggregates().aggregates()) {
            const AggregateReader::Members m = reader->aggregates().members(a);
            QJsonObject o;
            o[QStringLiteral("aggregate")] = a.key();
            o[QStringLiteral("defined")] = m.userDefined ? QStringLiteral("stored") : QStringLiteral("default");
            o[QStringLiteral("price_reference")] = m.reference().isValid() ? QJsonValue(m.reference().key()) : QJsonValue();
            QJsonArray keys;
            for (const Instrument &i : m.instruments)
                keys.append(i.key());
            o[QStringLiteral("members")] = keys;
            list.append(o);
            if (!p.isSet(QStringLiteral("json")))
                out << a.key() << "  " << Aggregates::format(m.instruments) << "  (" << (m.userDefined ? "stored set" : "default: every venue perpetual")
                    << ", price from " << m.reference().key() << ")\n";
        }
        if (p.isSet(QStringLiteral("json")))
            out << QJsonDocument(QJsonObject{{QStringLiteral("aggregates"), list}}).toJson(QJsonDocument::Compact) << '\n';
        else if (list.isEmpty())
            out << "no aggregate: the database holds no underlying on two venues, and no stored set\n";
    } catch (const StoreError &e) {
        throw Error(e.message());
    }
    return Ok;
}
