#include "ui/cellrow.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QPointer>
#include <QtGui/QAccessible>
#include <QtGui/QFontInfo>
#include <QtGui/QFontMetricsF>
#include <QtGui/QPainter>
#include <QtGui/QRawFont>
#include <QtGui/QTextLayout>
#include <QtQuick/QQuickWindow>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>

using namespace Qt::StringLiterals;

namespace tickwire::ui {

namespace {
constexpr char16_t FirstFast = u' ';
constexpr char16_t LastFast = u'~';
// Pixels of ink a glyph may reach beyond its advance (overhangs): kept inside a repaint.
constexpr qreal InkMargin = 2;
} // namespace

// Glyphs of the printable ASCII characters of one fixed-pitch font, as QTextLayout places them
// (design metrics, as QQuickText uses): a string of these characters is placed by adding
// advances, with no shaping. Built once per font; fixed-pitch Latin fonts have no kerning or
// ligatures, so the result is what a layout of the whole string gives.
struct FastGlyphs
{
    bool usable = false;
    QRawFont rawFont;
    qreal ascent = 0;
    std::array<quint32, LastFast - FirstFast + 1> glyph{};
    std::array<qreal, LastFast - FirstFast + 1> advance{};
};

namespace {

QTextLayout *newLayout(const QString &text, const QFont &font)
{
    auto *layout = new QTextLayout(text, font);
    QTextOption option = layout->textOption();
    option.setUseDesignMetrics(true);
    option.setWrapMode(QTextOption::NoWrap);
    layout->setTextOption(option);
    layout->setCacheEnabled(true);
    layout->beginLayout();
    QTextLine line = layout->createLine();
    line.setPosition(QPointF(0, 0));
    layout->endLayout();
    return layout;
}

// Looked up when a row's columns are set, not per layout (QFont::key() builds a string). The
// entries live as long as the process, so a row keeps a pointer to its fonts' tables.
const FastGlyphs &fastGlyphsFor(const QFont &font)
{
    static QHash<QString, std::shared_ptr<FastGlyphs>> cache;
    std::shared_ptr<FastGlyphs> &entry = cache[font.key()];
    if (entry)
        return *entry;
    entry = std::make_shared<FastGlyphs>();
    if (!QFontInfo(font).fixedPitch() || font.strikeOut() || font.underline()
        || font.letterSpacing() != 0 || font.wordSpacing() != 0)
        return *entry;
    bool usable = true;
    for (char16_t c = FirstFast; c <= LastFast && usable; ++c) {
        const std::unique_ptr<QTextLayout> layout(newLayout(QString(2, QChar(c)), font));
        const QList<QGlyphRun> runs = layout->glyphRuns();
        if (runs.size() != 1 || runs.first().glyphIndexes().size() != 2) {
            usable = false;
            break;
        }
        const QGlyphRun &run = runs.first();
        if (c == FirstFast) {
            entry->rawFont = run.rawFont();
            entry->ascent = layout->lineAt(0).ascent();
        } else if (run.rawFont() != entry->rawFont) {
            usable = false; // a fallback font for this character
            break;
        }
        entry->glyph[c - FirstFast] = run.glyphIndexes().constFirst();
        const qreal advance = run.positions().at(1).x() - run.positions().at(0).x();
        entry->advance[c - FirstFast] = advance;
    }
    entry->usable = usable;
    return *entry;
}

Qt::Alignment alignmentOf(const QString &name)
{
    if (name == u"right"_s)
        return Qt::AlignRight;
    if (name == u"center"_s)
        return Qt::AlignHCenter;
    return Qt::AlignLeft;
}

} // namespace

// Fades the flashes of one window's rows: one clock per window, ticking on afterAnimating only
// while some row is fading (no animation object per row).
class FlashClock : public QObject
{
public:
    static FlashClock *of(QQuickWindow *window)
    {
        for (QObject *child : window->children()) {
            if (auto *clock = dynamic_cast<FlashClock *>(child))
                return clock;
        }
        return new FlashClock(window);
    }
    static qint64 nowMs()
    {
        static QElapsedTimer timer;
        if (!timer.isValid())
            timer.start();
        return timer.elapsed();
    }
    void add(CellRow *row)
    {
        if (std::find(m_rows.cbegin(), m_rows.cend(), row) == m_rows.cend())
            m_rows.push_back(row);
        m_window->update();
    }
    void remove(CellRow *row) { std::erase(m_rows, row); }

private:
    explicit FlashClock(QQuickWindow *window)
        : QObject(window)
        , m_window(window)
    {
        connect(window, &QQuickWindow::afterAnimating, this, &FlashClock::tick);
    }
    void tick()
    {
        if (m_rows.empty())
            return;
        const qint64 now = nowMs();
        // advanceFlash() may finish a row's flash, which removes it from m_rows.
        const std::vector<CellRow *> rows = m_rows;
        for (CellRow *row : rows)
            row->advanceFlash(now);
        if (!m_rows.empty()) // the next frame, once this one is done
            QMetaObject::invokeMethod(m_window.data(), &QQuickWindow::update, Qt::QueuedConnection);
    }

    QPointer<QQuickWindow> m_window;
    std::vector<CellRow *> m_rows;
};

// Rows announce their accessible name on every change only while an accessibility client is
// active; when one becomes active, every row announces it once. Never destroyed: QAccessible
// keeps a pointer to it until the process ends.
class AccessibilityWatch : public QAccessible::ActivationObserver
{
public:
    static AccessibilityWatch &instance()
    {
        static auto *watch = new AccessibilityWatch;
        return *watch;
    }
    void add(CellRow *row) { m_rows.push_back(row); }
    void remove(CellRow *row) { std::erase(m_rows, row); }
    void accessibilityActiveChanged(bool active) override
    {
        if (!active)
            return;
        const std::vector<CellRow *> rows = m_rows;
        for (CellRow *row : rows)
            Q_EMIT row->joinedTextChanged();
    }

private:
    AccessibilityWatch() { QAccessible::installActivationObserver(this); }
    std::vector<CellRow *> m_rows;
};

CellRow::CellRow(QQuickItem *parent)
    : ModelRowItem(RoleSlotCount, parent)
{
    AccessibilityWatch::instance().add(this);
}

CellRow::~CellRow()
{
    AccessibilityWatch::instance().remove(this);
    if (m_flashStart >= 0 && window())
        FlashClock::of(window())->remove(this);
}

void CellRow::itemChange(ItemChange change, const ItemChangeData &value)
{
    if (change == ItemSceneChange && m_flashStart >= 0) {
        if (window())
            FlashClock::of(window())->remove(this);
        if (value.window)
            FlashClock::of(value.window)->add(this);
    }
    if (change == ItemSceneChange || change == ItemDevicePixelRatioHasChanged)
        repaintAll();
    ModelRowItem::itemChange(change, value);
}

void CellRow::geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry)
{
    // A new size is a new image, with nothing in it yet.
    if (newGeometry.size() != oldGeometry.size())
        repaintAll();
    ModelRowItem::geometryChange(newGeometry, oldGeometry);
}

QSGNode *CellRow::updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *data)
{
    // A new node (the scene graph was rebuilt without releaseResources()) has a new, empty
    // image and paints only the item's dirty rectangle, perhaps a partial one: make it the
    // whole item. (This also schedules one more whole repaint, on the next frame.)
    if (!oldNode && !m_repaintAll) {
        m_repaintAll = true;
        QQuickPaintedItem::update();
    }
    QSGNode *node = ModelRowItem::updatePaintNode(oldNode, data);
    m_repaintAll = !node;
    return node;
}

void CellRow::releaseResources()
{
    m_repaintAll = true;
    ModelRowItem::releaseResources();
}

void CellRow::repaintAll()
{
    m_repaintAll = true;
    update();
}

void CellRow::setColumns(const QVariantList &columns)
{
    if (columns == m_columnSpec)
        return;
    m_columnSpec = columns;
    m_cells.assign(std::size_t(columns.size()), Cell{});
    qreal x = 0;
    qreal height = 0;
    for (qsizetype i = 0; i < columns.size(); ++i) {
        const QVariantMap spec = columns.at(i).toMap();
        Cell &cell = m_cells[std::size_t(i)];
        cell.x = x;
        cell.width = spec.value(u"width"_s).toReal();
        cell.leftPadding = spec.value(u"leftPadding"_s).toReal();
        cell.rightPadding = spec.value(u"rightPadding"_s).toReal();
        cell.align = alignmentOf(spec.value(u"align"_s).toString());
        cell.font = spec.value(u"font"_s).value<QFont>();
        cell.elide = spec.value(u"elide"_s).toBool();
        cell.color = colorOf(i);
        cell.fast = &fastGlyphsFor(cell.font);
        layoutCell(cell, m_texts.value(i));
        x += cell.width;
        // One line of text, as tall as QTextLine makes it (rounded up).
        height = std::max(height, std::ceil(QFontMetricsF(cell.font).ascent()
                                            + QFontMetricsF(cell.font).descent()));
    }
    setImplicitSize(x, height);
    repaintAll();
    Q_EMIT columnsChanged();
}

void CellRow::setTexts(const QStringList &texts)
{
    applyTexts(texts, true);
}

void CellRow::applyTexts(const QStringList &texts, bool announceName)
{
    if (texts == m_texts)
        return;
    // The span of the cells that change, as they were and as they are: only that is repainted.
    qreal from = std::numeric_limits<qreal>::max(), to = std::numeric_limits<qreal>::lowest();
    for (std::size_t i = 0; i < m_cells.size(); ++i) {
        Cell &cell = m_cells[i];
        const QString &text = texts.value(qsizetype(i));
        if (text != cell.text) {
            const auto [oldFrom, oldTo] = inkSpan(cell);
            layoutCell(cell, text);
            const auto [newFrom, newTo] = inkSpan(cell);
            from = std::min({from, oldFrom, newFrom});
            to = std::max({to, oldTo, newTo});
        }
    }
    m_texts = texts;
    if (from < to)
        updateSpan(from, to);
    Q_EMIT textsChanged();
    if (announceName)
        Q_EMIT joinedTextChanged();
}

void CellRow::setLeading(const QStringList &leading)
{
    if (leading == m_leading)
        return;
    m_leading = leading;
    Q_EMIT leadingChanged();
    composeTexts();
}

void CellRow::setValues(const QStringList &values)
{
    if (values == m_values)
        return;
    m_values = values;
    Q_EMIT valuesChanged();
    composeTexts();
}

void CellRow::setFields(const QList<int> &fields)
{
    if (fields == m_fields)
        return;
    m_fields = fields;
    Q_EMIT fieldsChanged();
    composeTexts();
}

void CellRow::composeTexts()
{
    if (m_fields.isEmpty())
        return;
    QStringList texts = m_leading;
    texts.reserve(m_leading.size() + m_fields.size());
    for (const int field : std::as_const(m_fields))
        texts.append(m_values.value(field));
    applyTexts(texts, !m_tick || QAccessible::isActive());
}

void CellRow::setColors(const QVariantList &colors)
{
    if (colors == m_colorSpec)
        return;
    m_colorSpec = colors;
    applyColors();
    Q_EMIT colorsChanged();
}

QColor CellRow::colorOf(qsizetype column) const
{
    if (m_trend != 0 && m_trendColumns.contains(int(column)))
        return m_trend > 0 ? upColor() : downColor();
    return m_colorSpec.value(column).value<QColor>();
}

void CellRow::applyColors()
{
    qreal from = std::numeric_limits<qreal>::max(), to = std::numeric_limits<qreal>::lowest();
    for (std::size_t i = 0; i < m_cells.size(); ++i) {
        Cell &cell = m_cells[i];
        const QColor color = colorOf(qsizetype(i));
        if (color != cell.color) {
            cell.color = color;
            if (!cell.runs.isEmpty()) {
                const auto [cellFrom, cellTo] = inkSpan(cell);
                from = std::min(from, cellFrom);
                to = std::max(to, cellTo);
            }
        }
    }
    if (from < to)
        updateSpan(from, to);
}

std::pair<qreal, qreal> CellRow::inkSpan(const Cell &cell)
{
    qreal from = cell.x, to = cell.x + cell.width;
    if (!cell.runs.isEmpty()) {
        const qreal textX = textLeft(cell);
        from = std::min(from, textX);
        to = std::max(to, textX + cell.textWidth);
    }
    return {from - InkMargin, to + InkMargin};
}

qreal CellRow::textLeft(const Cell &cell)
{
    const qreal inner = cell.width - cell.leftPadding - cell.rightPadding;
    qreal dx = 0;
    if (cell.align & Qt::AlignRight)
        dx = inner - cell.textWidth;
    else if (cell.align & Qt::AlignHCenter)
        dx = (inner - cell.textWidth) / 2;
    return cell.x + cell.leftPadding + dx;
}

void CellRow::updateSpan(qreal from, qreal to)
{
    // QQuickPaintedItem::update(rect) after update() would shrink the pending repaint of the
    // whole item (a null rectangle) to `rect`.
    if (m_repaintAll) {
        update();
        return;
    }
    const int left = std::max(0, int(std::floor(from)));
    const int right = std::min(int(std::ceil(width())), int(std::ceil(to)));
    if (right > left)
        update(QRect(left, 0, right - left, int(std::ceil(height()))));
}

void CellRow::setBarRole(const QString &role)
{
    if (setRoleName(BarSlot, role))
        Q_EMIT barRoleChanged();
}

void CellRow::setBarColor(const QColor &color)
{
    if (color == m_barColor)
        return;
    m_barColor = color;
    if (m_barFraction > 0)
        updateSpan(width() * (1 - m_barFraction), width());
    Q_EMIT barColorChanged();
}

void CellRow::setBackground(const QColor &color)
{
    if (color == fillColor())
        return;
    // The painter node fills what it repaints with fillColor before paint(), opaque or not.
    setOpaquePainting(color.alpha() == 255);
    setFillColor(color);
    repaintAll();
    Q_EMIT backgroundChanged();
}

void CellRow::setCellsRole(const QString &role)
{
    if (setRoleName(CellsSlot, role))
        Q_EMIT cellsRoleChanged();
}

void CellRow::setTrendRole(const QString &role)
{
    if (setRoleName(TrendSlot, role))
        Q_EMIT trendRoleChanged();
}

void CellRow::setPriceRole(const QString &role)
{
    if (setRoleName(PriceSlot, role))
        Q_EMIT priceRoleChanged();
}

void CellRow::setDirectionRole(const QString &role)
{
    if (setRoleName(DirectionSlot, role))
        Q_EMIT directionRoleChanged();
}

void CellRow::setTrendColumns(const QList<int> &columns)
{
    if (columns == m_trendColumns)
        return;
    m_trendColumns = columns;
    applyColors();
    Q_EMIT trendColumnsChanged();
}

void CellRow::setUpFlashColor(const QColor &color)
{
    if (color == m_upFlashColor)
        return;
    m_upFlashColor = color;
    Q_EMIT upFlashColorChanged();
}

void CellRow::setDownFlashColor(const QColor &color)
{
    if (color == m_downFlashColor)
        return;
    m_downFlashColor = color;
    Q_EMIT downFlashColorChanged();
}

void CellRow::readRow(quint32 roles, bool replaced)
{
    if (replaced)
        stopFlash();
    m_tick = !replaced;
    if (has(roles, CellsSlot) && !cellsRole().isEmpty()) {
        QStringList values = roleValue(CellsSlot).toStringList();
        if (values != m_values) {
            m_values = std::move(values);
            Q_EMIT valuesChanged();
            composeTexts();
        }
    }
    if (has(roles, TrendSlot)) {
        const double trend = roleValue(TrendSlot).toDouble();
        const int sign = trend > 0 ? 1 : trend < 0 ? -1 : 0;
        if (sign != m_trend) {
            m_trend = sign;
            applyColors();
        }
    }
    if (has(roles, PriceSlot)) {
        QVariant price = roleValue(PriceSlot);
        if (!replaced && price != m_price) {
            const int direction = roleValue(DirectionSlot).toInt();
            if (direction != 0)
                startFlash(direction > 0 ? m_upFlashColor : m_downFlashColor);
        }
        m_price = std::move(price);
    }
    if (has(roles, BarSlot)) {
        const qreal fraction = barRole().isEmpty()
                                   ? 0
                                   : std::clamp<qreal>(roleValue(BarSlot).toReal(), 0, 1);
        if (fraction != m_barFraction) {
            // The bar grows from the right edge: repaint from the left end of the longer one.
            updateSpan(width() * (1 - std::max(fraction, m_barFraction)), width());
            m_barFraction = fraction;
        }
    }
    m_tick = false;
}

void CellRow::setFlashColor(const QColor &color)
{
    if (color == m_flashColor)
        return;
    m_flashColor = color;
    if (m_flashOpacity > 0) {
        m_shownFlashColor = color;
        repaintAll();
    }
    Q_EMIT flashColorChanged();
}

void CellRow::setFlashDuration(int ms)
{
    ms = std::max(1, ms);
    if (ms == m_flashDuration)
        return;
    m_flashDuration = ms;
    Q_EMIT flashDurationChanged();
}

QString CellRow::joinedText() const
{
    QString joined;
    for (const QString &text : m_texts) {
        if (text.isEmpty())
            continue;
        if (!joined.isEmpty())
            joined += u", ";
        joined += text;
    }
    return joined;
}

void CellRow::setTextTop(qreal top)
{
    if (top == m_textTop)
        return;
    m_textTop = top;
    repaintAll();
    Q_EMIT textTopChanged();
}

void CellRow::flash()
{
    startFlash(m_flashColor);
}

void CellRow::startFlash(const QColor &color)
{
    m_shownFlashColor = color;
    m_flashStart = FlashClock::nowMs();
    m_flashOpacity = 1;
    repaintAll();
    if (window())
        FlashClock::of(window())->add(this);
}

void CellRow::stopFlash()
{
    if (m_flashStart < 0)
        return;
    m_flashStart = -1;
    m_flashOpacity = 0;
    if (window())
        FlashClock::of(window())->remove(this);
    repaintAll();
}

void CellRow::advanceFlash(qint64 nowMs)
{
    if (m_flashStart < 0)
        return;
    const qreal opacity = 1 - qreal(nowMs - m_flashStart) / m_flashDuration;
    if (opacity <= 0) {
        m_flashStart = -1;
        m_flashOpacity = 0;
        if (window())
            FlashClock::of(window())->remove(this);
    } else {
        m_flashOpacity = std::min<qreal>(1, opacity);
    }
    repaintAll();
}

void CellRow::layoutCell(Cell &cell, const QString &text)
{
    cell.text = text;
    cell.runs.clear();
    cell.textWidth = 0;
    if (text.isEmpty())
        return;
    ++m_layoutCount;
    const qreal available = cell.width - cell.leftPadding - cell.rightPadding;
    Q_ASSERT(cell.fast);
    const FastGlyphs &fast = *cell.fast;
    if (fast.usable && std::all_of(text.cbegin(), text.cend(), [](QChar c) {
            return c.unicode() >= FirstFast && c.unicode() <= LastFast;
        })) {
        QList<quint32> glyphs;
        QList<QPointF> positions;
        glyphs.reserve(text.size());
        positions.reserve(text.size());
        qreal x = 0;
        for (QChar c : text) {
            const std::size_t k = c.unicode() - FirstFast;
            glyphs.append(fast.glyph[k]);
            positions.append(QPointF(x, fast.ascent));
            x += fast.advance[k];
        }
        if (!cell.elide || x <= available) {
            QGlyphRun run;
            run.setRawFont(fast.rawFont);
            run.setGlyphIndexes(glyphs);
            run.setPositions(positions);
            cell.runs.append(run);
            cell.textWidth = x;
            return;
        }
    }
    QString shown = text;
    if (cell.elide && QFontMetricsF(cell.font).horizontalAdvance(text) > available)
        shown = QFontMetricsF(cell.font).elidedText(text, Qt::ElideRight, available);
    const std::unique_ptr<QTextLayout> layout(newLayout(shown, cell.font));
    cell.runs = layout->glyphRuns();
    cell.textWidth = layout->lineAt(0).horizontalAdvance();
}

void CellRow::paint(QPainter *painter)
{
    // The scene graph has filled what is repainted (the clip, when only some cells changed)
    // with the background: bar, flash, then the cells that reach into it.
    const QRectF all(0, 0, width(), height());
    const QRectF clip = painter->hasClipping() ? painter->clipBoundingRect() & all : all;
    if (m_barFraction > 0 && m_barColor.alpha() > 0) {
        const qreal barWidth = width() * m_barFraction;
        painter->fillRect(QRectF(width() - barWidth, 0, barWidth, height() - 1), m_barColor);
    }
    if (m_flashOpacity > 0 && m_shownFlashColor.alpha() > 0) {
        painter->setOpacity(m_flashOpacity);
        painter->fillRect(all, m_shownFlashColor);
        painter->setOpacity(1);
    }
    for (Cell &cell : m_cells) {
        if (cell.runs.isEmpty())
            continue;
        const auto [from, to] = inkSpan(cell);
        if (to <= clip.left() || from >= clip.right())
            continue;
        ++cell.paints;
        painter->setPen(cell.color);
        const QPointF at(textLeft(cell), m_textTop);
        for (const QGlyphRun &run : std::as_const(cell.runs))
            painter->drawGlyphRun(at, run);
    }
}

} // namespace tickwire::ui
