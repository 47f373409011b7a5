#pragma once

#include <QtGlobal>

#include <algorithm>
#include <deque>
#include <vector>

// Judges each row of a series against the rows around it: a row whose level (a bar's close,
// a trade's price, an open interest sample) lies more than `factor` away from the median
// level of its window (up to `radius` rows before and after it, itself included) is
// implausible. The median makes the check robust: one poisoned row, or a few in a row, never
// moves the reference, and a real level shift (a crash, a relisting) moves it once the new
// level holds for radius + 1 rows. Rows are held back until the rows after them are known,
// so the verdicts come out `radius` rows late, in file order; drain() at the end of the file.
// Windows of fewer than three rows cannot tell which row is off: they pass.
template<typename Row>
class NeighbourWindow
{
public:
    struct Entry
    {
        Row row;
        qint64 line = 0;
    };
    using Level = double (*)(const Row &);

    NeighbourWindow(Level level, double factor, int radius = 4)
        : m_level(level)
        , m_factor(factor)
        , m_radius(radius)
    {
    }

    // judged(const Entry &, double reference): reference is the window's median level, or 0
    // when the window was too small to judge.
    template<typename Judged>
    void push(const Row &row, qint64 line, Judged &&judged)
    {
        m_rows.push_back({row, line});
        while (qsizetype(m_rows.size()) - m_judged > m_radius)
            judgeNext(judged);
    }
    template<typename Judged>
    void drain(Judged &&judged)
    {
        while (qsizetype(m_rows.size()) > m_judged)
            judgeNext(judged);
    }

    bool plausible(double value, double reference) const
    {
        return reference <= 0 || (value <= reference * m_factor && value >= reference / m_factor);
    }
    double factor() const { return m_factor; }

private:
    template<typename Judged>
    void judgeNext(Judged &judged)
    {
        const qsizetype j = m_judged;
        const qsizetype from = std::max<qsizetype>(0, j - m_radius);
        const qsizetype to = std::min<qsizetype>(qsizetype(m_rows.size()), j + m_radius + 1);
        double reference = 0;
        if (to - from >= 3) {
            m_levels.clear();
            for (qsizetype i = from; i < to; ++i)
                m_levels.push_back(m_level(m_rows[size_t(i)].row));
            const auto mid = m_levels.begin() + qsizetype(m_levels.size()) / 2;
            std::nth_element(m_levels.begin(), mid, m_levels.end());
            reference = *mid;
        }
        ++m_judged;
        judged(m_rows[size_t(j)], reference);
        while (m_judged > m_radius) { // keep radius judged rows as the next windows' past
            m_rows.pop_front();
            --m_judged;
        }
    }

    Level m_level;
    double m_factor;
    int m_radius;
    std::deque<Entry> m_rows; // m_judged judged rows (the past), then the rows waiting
    qsizetype m_judged = 0;
    std::vector<double> m_levels;
};
