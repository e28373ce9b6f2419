//! Choosing a department to filter the employee list by: every department by name,
//! and "All departments" first to lift the filter.

use crate::directory::DepartmentRow;
use crate::tui::action::Action;
use crate::tui::keymap::Mode;

use super::{Component, Outcome};

#[derive(Debug)]
pub struct DepartmentDialog {
    /// (id, name) in name order; `None` is "All departments".
    pub items: Vec<Option<(i64, String)>>,
    pub selected: usize,
}

impl DepartmentDialog {
    /// The departments, the one in use (if any) selected.
    pub fn new(mut departments: Vec<DepartmentRow>, current: Option<i64>) -> Self {
        departments.sort_by_key(|d| crate::domain::fold(&d.name));
        let mut items = vec![None];
        items.extend(departments.into_iter().map(|d| Some((d.id, d.name))));
        let selected = items
            .iter()
            .position(|i| i.as_ref().map(|(id, _)| *id) == current)
            .unwrap_or(0);
        DepartmentDialog { items, selected }
    }
}

impl Component for DepartmentDialog {
    fn keys(&self) -> Mode {
        Mode::Menu
    }

    fn handle(&mut self, action: Action) -> Outcome {
        match action {
            Action::Cancel | Action::Back => Outcome::Close,
            Action::Up => {
                self.selected = self.selected.saturating_sub(1);
                Outcome::Stay
            }
            Action::Down => {
                self.selected = (self.selected + 1).min(self.items.len() - 1);
                Outcome::Stay
            }
            Action::Select(i) => {
                self.selected = usize::try_from(i)
                    .unwrap_or(0)
                    .min(self.items.len().saturating_sub(1));
                Outcome::Stay
            }
            Action::Open => Outcome::CloseAndAct(Action::FilterDepartment(
                self.items.get(self.selected).cloned().flatten(),
            )),
            _ => Outcome::Stay,
        }
    }
}
