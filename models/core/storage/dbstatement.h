#pragma once

#include <QString>
#include <QtGlobal>

#include <memory>

// A prepared statement of either backend (RAII), with the interface the storage code was
// written against: bind*() take 1-based indexes and `?` placeholders, step() returns true
// while a row is available, exec() runs a statement that returns no rows. Errors throw
// StoreError naming the store. Made by DbConnection::prepare(); the backend behind it is
// SQLite (sqlitedb.cpp) or PostgreSQL (postgres/pgdb.cpp).
class DbStatement
{
public:
    // What a backend implements.
    class Impl
    {
    public:
        virtual ~Impl() = default;
        virtual void bind(int index, qint64 value) = 0;
        virtual void bind(int index, double value) = 0;
        virtual void bind(int index, const QString &value) = 0;
        virtual void bindNull(int index) = 0;
        virtual bool step() = 0;
        virtual void reset() = 0; // ready to bind and step again; clears the bindings
        virtual qint64 int64(int column) const = 0;
        virtual double real(int column) const = 0; // NULL reads as NaN
        virtual QString text(int column) const = 0;
        virtual bool isNull(int column) const = 0;
    };

    DbStatement() = default;
    explicit DbStatement(std::unique_ptr<Impl> impl)
        : m_impl(std::move(impl))
    {
    }

    bool isValid() const { return m_impl != nullptr; }

    DbStatement &bind(int index, qint64 value)
    {
        m_impl->bind(index, value);
        return *this;
    }
    DbStatement &bind(int index, int value) { return bind(index, static_cast<qint64>(value)); }
    DbStatement &bind(int index, double value)
    {
        m_impl->bind(index, value);
        return *this;
    }
    DbStatement &bind(int index, const QString &value)
    {
        m_impl->bind(index, value);
        return *this;
    }
    DbStatement &bindNull(int index)
    {
        m_impl->bindNull(index);
        return *this;
    }

    bool step() { return m_impl->step(); }
    void reset() { m_impl->reset(); }
    void exec()
    {
        step();
        reset();
    }

    qint64 int64(int column) const { return m_impl->int64(column); }
    double real(int column) const { return m_impl->real(column); }
    QString text(int column) const { return m_impl->text(column); }
    bool isNull(int column) const { return m_impl->isNull(column); }

private:
    std::unique_ptr<Impl> m_impl;
};
