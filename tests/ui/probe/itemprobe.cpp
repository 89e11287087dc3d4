#include "itemprobe.h"

namespace tickwire::ui {

qreal ItemProbe::flashStrength(CellRow *row) const
{
    return row ? row->m_flashOpacity : 0;
}

int ItemProbe::layoutCount(CellRow *row) const
{
    return row ? row->m_layoutCount : 0;
}

QColor ItemProbe::cellColor(CellRow *row, int column) const
{
    if (!row || column < 0 || std::size_t(column) >= row->m_cells.size())
        return {};
    return row->m_cells[std::size_t(column)].color;
}

QColor ItemProbe::shownFlashColor(CellRow *row) const
{
    return row ? row->m_shownFlashColor : QColor();
}

qreal ItemProbe::barFraction(CellRow *row) const
{
    return row ? row->m_barFraction : 0;
}

int ItemProbe::paintCount(CellRow *row, int column) const
{
    if (!row || column < 0 || std::size_t(column) >= row->m_cells.size())
        return 0;
    return row->m_cells[std::size_t(column)].paints;
}

int ItemProbe::linePaintCount(Sparkline *line) const
{
    return line ? line->m_paints : 0;
}

} // namespace tickwire::ui
