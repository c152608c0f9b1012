//! Which counts a table may publish, decided in memory from counts the database gave.
//!
//! A one-way table counts every person once: its cells partition the total. A two-way table
//! crosses two variables; its margins are the two one-way tables, whose suppression it takes
//! as given. In both, a cell of 1 to k − 1 persons is suppressed (primary suppression), and
//! further cells are suppressed until no suppressed count can be worked out (secondary
//! suppression):
//!
//! - along every line (a row or a column, or the one-way table itself) whose margin is
//!   published, the suppressed cells are none or at least two, and together count at least k;
//! - along every line whose margin is suppressed, at least one non-zero cell is suppressed, and
//!   the suppressed cells count at least k or are all its non-zero cells, so that adding the
//!   line up does not give the margin;
//! - and, beyond the lines, the table as a whole of linear equations: a suppressed cell must
//!   not be determined by the published cells and margins (in the graph whose nodes are the
//!   rows, the columns and the two totals and whose edges are the unknowns, an unknown is
//!   determined exactly when it is a bridge), and the table must tell nothing about its
//!   suppressed margins beyond what their one-way table tells (the rows of suppressed margin
//!   lie in one connected group of suppressed cells, and so do the columns), so that no two
//!   tables together say more than each says alone.
//!
//! Each further cell is the smallest published one that does the work; a zero cell is
//! suppressed only where no non-zero cell can. Ties go to the first cell in the table's order,
//! and the caller orders the two variables of a table by name, so that a table is the same
//! whichever of its rows or columns a query publishes.

/// A margin of a two-way table: its count, and whether its own one-way table suppresses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Margin {
    pub count: i64,
    pub suppressed: bool,
}

/// Whether a total of `total` persons is published.
pub(crate) fn total_published(total: i64, k: i64) -> bool {
    total == 0 || total >= k
}

/// The suppressed cells of a one-way table whose cells partition `total` persons.
pub(crate) fn one_way(counts: &[i64], total: i64, k: i64) -> Vec<bool> {
    if !total_published(total, k) {
        return counts.iter().map(|&c| c != 0).collect();
    }
    let mut hidden: Vec<bool> = counts.iter().map(|&c| (1..k).contains(&c)).collect();
    if hidden.iter().any(|&h| h) {
        loop {
            let (n, sum) = hidden
                .iter()
                .zip(counts)
                .filter(|(h, _)| **h)
                .fold((0, 0), |(n, s), (_, c)| (n + 1, s + c));
            if n >= 2 && sum >= k {
                break;
            }
            let next = (0..counts.len())
                .filter(|&i| !hidden[i] && counts[i] > 0)
                .min_by_key(|&i| (counts[i], i));
            match next {
                Some(i) => hidden[i] = true,
                None => break,
            }
        }
    }
    hidden
}

/// The suppressed cells (row-major) of a two-way table of `rows.len()` by `cols.len()` cells
/// over `total` persons, whose margins are `rows` and `cols`.
pub(crate) fn two_way(
    rows: &[Margin],
    cols: &[Margin],
    cells: &[i64],
    total: i64,
    k: i64,
) -> Vec<bool> {
    debug_assert_eq!(cells.len(), rows.len() * cols.len());
    if !total_published(total, k) {
        return cells.iter().map(|&c| c != 0).collect();
    }
    let mut grid = Grid {
        r: rows.len(),
        c: cols.len(),
        rows,
        cols,
        cells,
        hidden: cells.iter().map(|&c| (1..k).contains(&c)).collect(),
        k,
        // Dearer than any set of distinct non-zero cells, which count at most `total`.
        zero_cost: u64::try_from(total).unwrap_or(0) + 1,
    };
    loop {
        if grid.lines() {
            continue;
        }
        if grid.connect_margins(true) || grid.connect_margins(false) {
            continue;
        }
        match grid.protect_bridges() {
            Protect::Done => break,
            Protect::Changed => continue,
            Protect::Exhausted => {
                // Not reached: a count of 1..k-1 that every suppression leaves determined is
                // already told by the one-way tables. Suppress everything rather than publish.
                grid.hidden.iter_mut().for_each(|h| *h = true);
                break;
            }
        }
    }
    grid.hidden
}

struct Grid<'a> {
    r: usize,
    c: usize,
    rows: &'a [Margin],
    cols: &'a [Margin],
    cells: &'a [i64],
    hidden: Vec<bool>,
    k: i64,
    zero_cost: u64,
}

enum Protect {
    Done,
    Changed,
    Exhausted,
}

impl Grid<'_> {
    fn row(&self, r: usize) -> Vec<usize> {
        (0..self.c).map(|s| r * self.c + s).collect()
    }

    fn col(&self, s: usize) -> Vec<usize> {
        (0..self.r).map(|r| r * self.c + s).collect()
    }

    /// Whether a line needs one more suppressed cell, by the line rules.
    fn line_short(&self, line: &[usize], margin: Margin) -> bool {
        let hidden: Vec<usize> = line.iter().copied().filter(|&i| self.hidden[i]).collect();
        let sum: i64 = hidden.iter().map(|&i| self.cells[i]).sum();
        if margin.suppressed {
            let nonzero = line.iter().filter(|&&i| self.cells[i] > 0).count();
            let hidden_nonzero = hidden.iter().filter(|&&i| self.cells[i] > 0).count();
            nonzero > 0 && (hidden_nonzero == 0 || (sum < self.k && hidden_nonzero < nonzero))
        } else {
            !hidden.is_empty() && (hidden.len() < 2 || sum < self.k)
        }
    }

    /// One pass of the line rules over every row and column; whether anything changed.
    fn lines(&mut self) -> bool {
        let mut changed = false;
        let lines = (0..self.r)
            .map(|r| (self.row(r), self.rows[r]))
            .chain((0..self.c).map(|s| (self.col(s), self.cols[s])))
            .collect::<Vec<_>>();
        for (line, margin) in lines {
            while self.line_short(&line, margin) {
                let next = line
                    .iter()
                    .copied()
                    .filter(|&i| !self.hidden[i] && self.cells[i] > 0)
                    .min_by_key(|&i| (self.cells[i], i));
                let Some(i) = next else { break };
                self.hidden[i] = true;
                changed = true;
            }
        }
        changed
    }

    /// Union-find roots of the rows and columns joined by suppressed cells (rows are nodes
    /// `0..r`, columns `r..r + c`).
    fn groups(&self) -> Vec<usize> {
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        let mut parent: Vec<usize> = (0..self.r + self.c).collect();
        for (i, _) in self.hidden.iter().enumerate().filter(|(_, h)| **h) {
            let (a, b) = (
                find(&mut parent, i / self.c),
                find(&mut parent, self.r + i % self.c),
            );
            if a != b {
                parent[a.max(b)] = a.min(b);
            }
        }
        (0..self.r + self.c).map(|x| find(&mut parent, x)).collect()
    }

    /// Joins the rows (or columns) whose margins are suppressed into one group of suppressed
    /// cells, where they are apart; whether anything changed.
    fn connect_margins(&mut self, rows: bool) -> bool {
        let nodes: Vec<usize> = if rows {
            (0..self.r).filter(|&r| self.rows[r].suppressed).collect()
        } else {
            (0..self.c)
                .filter(|&s| self.cols[s].suppressed)
                .map(|s| self.r + s)
                .collect()
        };
        let groups = self.groups();
        let Some(&first) = nodes.first() else {
            return false;
        };
        let home = groups[first];
        let others: Vec<usize> = nodes
            .iter()
            .map(|&n| groups[n])
            .filter(|&g| g != home)
            .collect();
        if others.is_empty() {
            return false;
        }
        let sources: Vec<usize> = (0..self.r + self.c)
            .filter(|&n| groups[n] == home)
            .collect();
        match self.cheapest_path(&sources, |n| others.contains(&groups[n]), false, None) {
            Some(path) => {
                self.suppress(&path);
                true
            }
            None => false,
        }
    }

    /// Finds a suppressed cell of 1..k-1 persons that the table determines and puts it on a
    /// cycle of suppressed unknowns.
    fn protect_bridges(&mut self) -> Protect {
        let Some(cell) = self.small_bridge() else {
            return Protect::Done;
        };
        let (r, s) = (cell / self.c, cell % self.c);
        match self.cheapest_path(&[r], |n| n == self.r + s, true, Some(cell)) {
            Some(path) => {
                self.suppress(&path);
                Protect::Changed
            }
            None => Protect::Exhausted,
        }
    }

    fn suppress(&mut self, path: &[usize]) {
        for &i in path {
            self.hidden[i] = true;
        }
    }

    /// The first suppressed cell of 1..k-1 persons that is a bridge of the graph of unknowns:
    /// nodes are the rows, the columns and the two totals (`r + c` for the rows' margins,
    /// `r + c + 1` for the columns'); edges the suppressed cells and margins.
    fn small_bridge(&self) -> Option<usize> {
        let n = self.r + self.c + 2;
        // Edges: (a, b, cell index or none).
        let mut edges: Vec<(usize, usize, Option<usize>)> = Vec::new();
        for (i, _) in self.hidden.iter().enumerate().filter(|(_, h)| **h) {
            edges.push((i / self.c, self.r + i % self.c, Some(i)));
        }
        for r in (0..self.r).filter(|&r| self.rows[r].suppressed) {
            edges.push((r, self.r + self.c, None));
        }
        for s in (0..self.c).filter(|&s| self.cols[s].suppressed) {
            edges.push((self.r + s, self.r + self.c + 1, None));
        }
        let mut adjacent: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
        for (e, &(a, b, _)) in edges.iter().enumerate() {
            adjacent[a].push((b, e));
            adjacent[b].push((a, e));
        }
        // Tarjan's bridges, without recursion.
        let mut order = vec![usize::MAX; n];
        let mut low = vec![0usize; n];
        let mut bridge = vec![false; edges.len()];
        let mut clock = 0;
        for root in 0..n {
            if order[root] != usize::MAX {
                continue;
            }
            order[root] = clock;
            low[root] = clock;
            clock += 1;
            // (node, edge it was entered by, next neighbour to look at)
            let mut stack: Vec<(usize, usize, usize)> = vec![(root, usize::MAX, 0)];
            while let Some(top) = stack.last_mut() {
                let (u, via, next) = *top;
                if let Some(&(v, e)) = adjacent[u].get(next) {
                    top.2 += 1;
                    if e == via {
                        continue;
                    }
                    if order[v] == usize::MAX {
                        order[v] = clock;
                        low[v] = clock;
                        clock += 1;
                        stack.push((v, e, 0));
                    } else {
                        low[u] = low[u].min(order[v]);
                    }
                } else {
                    stack.pop();
                    if let Some(&(parent, _, _)) = stack.last() {
                        low[parent] = low[parent].min(low[u]);
                        if low[u] > order[parent] {
                            bridge[via] = true;
                        }
                    }
                }
            }
        }
        edges
            .iter()
            .zip(&bridge)
            .filter_map(|(&(_, _, cell), &b)| cell.filter(|_| b))
            .filter(|&i| (1..self.k).contains(&self.cells[i]))
            .min()
    }

    /// The published cells to suppress, fewest persons first, so that a path of suppressed
    /// unknowns leads from one of `sources` to a node for which `target` holds: through
    /// suppressed cells (free), published non-zero cells (their count), zero cells (dearer
    /// than all the rest) and, `with_margins`, through the suppressed margins and their totals.
    /// `skip` is a cell the path may not use.
    fn cheapest_path(
        &self,
        sources: &[usize],
        target: impl Fn(usize) -> bool,
        with_margins: bool,
        skip: Option<usize>,
    ) -> Option<Vec<usize>> {
        let (r, c) = (self.r, self.c);
        let n = r + c + 2;
        let (row_total, col_total) = (r + c, r + c + 1);
        let cost = |i: usize| -> u64 {
            if self.hidden[i] {
                0
            } else if self.cells[i] == 0 {
                self.zero_cost
            } else {
                u64::try_from(self.cells[i]).unwrap_or(0)
            }
        };
        let mut dist = vec![u64::MAX; n];
        let mut prev: Vec<Option<(usize, Option<usize>)>> = vec![None; n];
        let mut done = vec![false; n];
        for &s in sources {
            dist[s] = 0;
        }
        loop {
            let u = (0..n)
                .filter(|&u| !done[u] && dist[u] != u64::MAX)
                .min_by_key(|&u| (dist[u], u))?;
            done[u] = true;
            if target(u) {
                let mut path = Vec::new();
                let mut at = u;
                while let Some((from, cell)) = prev[at] {
                    if let Some(i) = cell.filter(|&i| !self.hidden[i]) {
                        path.push(i);
                    }
                    at = from;
                }
                return Some(path);
            }
            let mut steps: Vec<(usize, Option<usize>, u64)> = Vec::new();
            if u < r {
                steps.extend((0..c).map(|s| (r + s, Some(u * c + s), 0)));
                if with_margins && self.rows[u].suppressed {
                    steps.push((row_total, None, 0));
                }
            } else if u < r + c {
                let s = u - r;
                steps.extend((0..r).map(|row| (row, Some(row * c + s), 0)));
                if with_margins && self.cols[s].suppressed {
                    steps.push((col_total, None, 0));
                }
            } else if with_margins && u == row_total {
                steps.extend(
                    (0..r)
                        .filter(|&x| self.rows[x].suppressed)
                        .map(|x| (x, None, 0)),
                );
            } else if with_margins {
                steps.extend(
                    (0..c)
                        .filter(|&s| self.cols[s].suppressed)
                        .map(|s| (r + s, None, 0)),
                );
            }
            for (v, cell, _) in steps {
                if cell.is_some() && cell == skip {
                    continue;
                }
                let step = cell.map_or(0, cost);
                let d = dist[u].saturating_add(step);
                if d < dist[v] {
                    dist[v] = d;
                    prev[v] = Some((u, cell));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn margins(counts: &[i64], k: i64) -> Vec<Margin> {
        let total = counts.iter().sum();
        one_way(counts, total, k)
            .into_iter()
            .zip(counts)
            .map(|(suppressed, &count)| Margin { count, suppressed })
            .collect()
    }

    /// Rows and columns summed from the cells, with their one-way suppression.
    fn table(cells: &[&[i64]], k: i64) -> (Vec<Margin>, Vec<Margin>, Vec<i64>, i64) {
        let rows: Vec<i64> = cells.iter().map(|r| r.iter().sum()).collect();
        let cols: Vec<i64> = (0..cells[0].len())
            .map(|s| cells.iter().map(|r| r[s]).sum())
            .collect();
        let total = rows.iter().sum();
        let flat = cells.iter().flat_map(|r| r.iter().copied()).collect();
        (margins(&rows, k), margins(&cols, k), flat, total)
    }

    #[test]
    fn one_way_tables_hide_small_cells_with_company() {
        // c alone would be 45 - 30 - 12: b is suppressed with it.
        assert_eq!(one_way(&[30, 12, 3], 45, 11), [false, true, true]);
        // Two small cells that count fewer than k together take a third.
        assert_eq!(one_way(&[30, 12, 3, 2], 47, 11), [false, true, true, true]);
        assert_eq!(one_way(&[5, 4], 9, 11), [true, true]);
        assert_eq!(one_way(&[11, 20], 31, 11), [false, false]);
        // Two small cells that count k together need no company.
        assert_eq!(one_way(&[30, 6, 5], 41, 11), [false, true, true]);
        // A binary variable: has 3, has not 40.
        assert_eq!(one_way(&[3, 40], 43, 11), [true, true]);
        assert_eq!(one_way(&[0, 43], 43, 11), [false, false]);
    }

    #[test]
    fn a_zero_that_would_betray_a_small_cell_is_suppressed() {
        // Rows 20 and 20, columns 15 and 25, all published; with (b, p) = 0 published the
        // margins give (a, p) = 15 and so (a, q) = 5.
        let (rows, cols, cells, total) = table(&[&[15, 5], &[0, 20]], 11);
        assert!(rows.iter().chain(&cols).all(|m| !m.suppressed));
        assert_eq!(two_way(&rows, &cols, &cells, total, 11), [true; 4]);
    }

    #[test]
    fn suppressed_margins_are_joined_by_suppressed_cells() {
        // The registry's example: 21 men of TJK, one woman of AFG. Both margins of each
        // variable are suppressed; the two cells alone would say (TJK, Man) = the TJK margin
        // and nothing joins it to AFG, so a zero is suppressed with them.
        let (rows, cols, cells, total) = table(&[&[0, 1], &[21, 0]], 11);
        assert!(rows.iter().chain(&cols).all(|m| m.suppressed));
        let hidden = two_way(&rows, &cols, &cells, total, 11);
        assert_eq!(hidden.iter().filter(|h| **h).count(), 3, "{hidden:?}");
        assert!(hidden[1] && hidden[2]);
    }

    #[test]
    fn a_bridge_between_two_protected_blocks_is_protected() {
        // Two blocks of single persons, each safe by the line rules, and a single person
        // between them: every line has two suppressed cells or more, yet the rows and columns
        // of the first block add up to tell the cell between them.
        let k = 2;
        let cells: &[&[i64]] = &[
            &[1, 1, 0, 0, 5],
            &[1, 1, 1, 0, 5],
            &[0, 0, 1, 1, 5],
            &[0, 0, 1, 1, 5],
            &[5, 5, 5, 5, 5],
        ];
        let (rows, cols, flat, total) = table(cells, k);
        assert!(rows.iter().chain(&cols).all(|m| !m.suppressed));
        let primary: Vec<bool> = flat.iter().map(|&c| c == 1).collect();
        let before = Grid {
            r: 5,
            c: 5,
            rows: &rows,
            cols: &cols,
            cells: &flat,
            hidden: primary,
            k,
            zero_cost: 1000,
        };
        assert_eq!(
            before.small_bridge(),
            Some(7),
            "the line rules leave (1, 2) told"
        );
        let hidden = two_way(&rows, &cols, &flat, total, k);
        let after = Grid {
            hidden: hidden.clone(),
            ..before
        };
        assert_eq!(after.small_bridge(), None, "{hidden:?}");
        // The cheapest cycle through it takes two fives (ten persons), not a zero.
        assert!(hidden[7]);
        let added: Vec<i64> = (0..25)
            .filter(|&i| hidden[i] && flat[i] != 1)
            .map(|i| flat[i])
            .collect();
        assert_eq!(added, [5, 5], "{hidden:?}");
    }

    #[test]
    fn everything_under_k_persons_is_suppressed_but_zeros() {
        let (rows, cols, cells, total) = table(&[&[3, 0], &[2, 4]], 11);
        assert_eq!(
            two_way(&rows, &cols, &cells, total, 11),
            [true, false, true, true]
        );
        assert!(!total_published(9, 11) && total_published(0, 11) && total_published(11, 11));
    }
}
