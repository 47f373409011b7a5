#include "simrunrecord.h"

#include <QJsonDocument>
#include <QJsonObject>

SimRunRecord::SimRunRecord(SimScenario scenario, quint64 seed, Instrument instrument, qint64 startMs, qint64 warmupSeconds)
    : m_scenario(std::move(scenario))
    , m_seed(seed)
    , m_instrument(std::move(instrument))
    , m_startMs(startMs)
    , m_warmupSeconds(warmupSeconds)
{
}

bool SimRunRecord::sameMarket(const SimRunRecord &other) const
{
    // Every parameter's exact value, not the overrides: "treadmill + depth=4e6" is treadmill.
    return m_scenario.preset() == other.m_scenario.preset() && m_scenario.metadata() == other.m_scenario.metadata()
        && m_seed == other.m_seed && m_instrument == other.m_instrument;
}

QString SimRunRecord::describe() const
{
    QString text = QStringLiteral("%1 · seed %2").arg(m_scenario.preset()).arg(m_seed);
    const auto &o = m_scenario.overrides();
    for (auto it = o.cbegin(); it != o.cend(); ++it)
        text += QStringLiteral(" · %1=%2").arg(it.key(), it.value());
    return text;
}

QString SimRunRecord::toJson() const
{
    QJsonObject params;
    const auto &o = m_scenario.overrides();
    for (auto it = o.cbegin(); it != o.cend(); ++it)
        params.insert(it.key(), it.value());
    QJsonObject full;
    const auto meta = m_scenario.metadata();
    for (auto it = meta.cbegin(); it != meta.cend(); ++it)
        full.insert(it.key(), it.value());
    QJsonObject root{
        {QStringLiteral("model"), m_model},
        {QStringLiteral("preset"), m_scenario.preset()},
        {QStringLiteral("overrides"), params},
        {QStringLiteral("params"), full},
        // Text: a JSON number is a double and would round seeds above 2^53.
        {QStringLiteral("seed"), QString::number(m_seed)},
        {QStringLiteral("instrument"), m_instrument.key()},
        {QStringLiteral("start_ms"), QString::number(m_startMs)},
        {QStringLiteral("warmup_seconds"), QString::number(m_warmupSeconds)},
    };
    return QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Compact));
}

std::optional<SimRunRecord> SimRunRecord::fromJson(const QString &text, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (!doc.isObject()) {
        *error = QStringLiteral("the stored simulator run record is not JSON (%1)").arg(parseError.errorString());
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    QMap<QString, QString> overrides;
    const QJsonObject params = root.value(QStringLiteral("overrides")).toObject();
    for (auto it = params.begin(); it != params.end(); ++it)
        overrides.insert(it.key(), it.value().toString());
    const auto scenario = SimScenario::build(root.value(QStringLiteral("preset")).toString(), overrides, error);
    if (!scenario) {
        *error = QStringLiteral("the stored simulator run cannot be rebuilt: %1").arg(*error);
        return std::nullopt;
    }
    bool seedOk = false, startOk = false, warmupOk = false;
    const quint64 seed = root.value(QStringLiteral("seed")).toString().toULongLong(&seedOk);
    const qint64 start = root.value(QStringLiteral("start_ms")).toString().toLongLong(&startOk);
    const qint64 warmup = root.value(QStringLiteral("warmup_seconds")).toString().toLongLong(&warmupOk);
    const Instrument instrument = Instrument::parse(root.value(QStringLiteral("instrument")).toString(), {});
    if (!seedOk || !startOk || !warmupOk || !instrument.isValid() || warmup < 0) {
        *error = QStringLiteral("the stored simulator run record lacks its seed, start, warm-up or instrument");
        return std::nullopt;
    }
    SimRunRecord run(*scenario, seed, instrument, start, warmup);
    run.m_model = root.value(QStringLiteral("model")).toInt(0);
    // The parameters as they were: a preset recalibrated since gives other values for the
    // same name, and so another market.
    QHash<QString, QString> stored;
    const QJsonObject full = root.value(QStringLiteral("params")).toObject();
    for (auto it = full.begin(); it != full.end(); ++it)
        stored.insert(it.key(), it.value().toString());
    if (stored != scenario->metadata() && run.m_model == modelVersion)
        run.m_model = -1; // same model number, other preset values: not reproducible either
    return run;
}
