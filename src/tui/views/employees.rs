//! The employee list: search, status filter, the handover backlog, marks for bulk
//! changes, and the row menu. Only the visible page is loaded.

use ratatui::crossterm::event::Event;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::directory::Page;
use crate::directory::{ListQuery, ListRow, ListSort};
use crate::domain::{Employee, StatusFilter};
use crate::tui::action::Action;
use crate::tui::dialogs::{BulkMenu, Dialog};
use crate::tui::effect::Effect;

use super::{Context, Outcome, is_move, move_selection};

#[derive(Debug, Default)]
pub struct EmployeesView {
    pub search: Input,
    pub filter: StatusFilter,
    pub backlog: bool,
    pub rows: Vec<ListRow>,
    pub total: i64,
    /// Counting stopped at `total` (a broad search): there are more.
    pub more: bool,
    /// Dismissed employees the list leaves out (its title says so).
    pub dismissed_hidden: i64,
    pub hidden_more: bool,
    /// Absolute index of the first loaded (and first visible) row.
    pub offset: i64,
    /// Absolute index of the selected row.
    pub selected: i64,
    pub searching: bool,
    pub loaded: bool,
    /// Logins marked with Space: the row menu then acts on all of them.
    pub marked: Vec<String>,
    /// The names of the marked, in the same order (what the screen says).
    pub marked_names: Vec<String>,
    /// The column the list is sorted by (`s` goes round them).
    pub sort: ListSort,
    /// Only this department (id, name), chosen with `d`.
    pub department: Option<(i64, String)>,
}

impl EmployeesView {
    /// The page on screen, `height` rows of it.
    pub fn query(&self, height: i64) -> ListQuery {
        let search = self.search.value().trim().to_string();
        ListQuery {
            status: if self.backlog {
                StatusFilter::Dismissed
            } else {
                self.filter
            },
            search: if search.is_empty() {
                None
            } else {
                Some(search)
            },
            still_owns: self.backlog,
            offset: self.offset,
            limit: height,
            department: self.department.as_ref().map(|(id, _)| *id),
            sort: self.sort,
        }
    }

    pub fn load(&self, height: i64) -> Effect {
        Effect::LoadEmployees(self.query(height))
    }

    pub fn selected_row(&self) -> Option<&ListRow> {
        self.rows.get((self.selected - self.offset) as usize)
    }

    pub fn selected_employee(&self) -> Option<&Employee> {
        self.selected_row().map(|r| &r.employee)
    }

    pub fn apply_page(&mut self, page: Page) {
        self.rows = page.rows;
        self.total = page.total;
        self.more = page.more;
        self.dismissed_hidden = page.dismissed_hidden;
        self.hidden_more = page.hidden_more;
        self.loaded = true;
        if self.total == 0 {
            self.selected = 0;
            self.offset = 0;
        } else if self.selected >= self.total {
            self.selected = self.total - 1;
        }
    }

    /// Another page of the same list; one that arrives after the user moved on is
    /// dropped.
    pub fn apply_rows(&mut self, offset: i64, rows: Vec<ListRow>) {
        if offset == self.offset {
            self.rows = rows;
        }
    }

    /// Back to the top of a list that changed (search, filter).
    /// Switch to the handover backlog, from its first row (the dashboard's `o`).
    pub fn show_backlog(&mut self) {
        self.backlog = true;
        self.offset = 0;
        self.selected = 0;
    }

    fn reset(&mut self, height: i64) -> Outcome {
        self.offset = 0;
        self.selected = 0;
        Outcome::Run(self.load(height))
    }

    pub fn handle(&mut self, action: Action, cx: &Context) -> Outcome {
        let height = cx.list_height;
        match action {
            a if is_move(&a) => {
                let moved =
                    move_selection(&mut self.selected, &mut self.offset, self.total, height, &a);
                // Near where counting stopped, count further (with the page).
                if self.more && self.selected + height >= self.total {
                    return Outcome::Run(self.load(height));
                }
                if moved {
                    return Outcome::Run(Effect::LoadEmployeeRows(self.query(height)));
                }
                Outcome::Nothing
            }
            Action::FocusSearch => {
                self.searching = true;
                Outcome::Nothing
            }
            Action::SearchDone => {
                self.searching = false;
                Outcome::Nothing
            }
            Action::Back
                if !self.marked.is_empty() && !self.searching && self.search.value().is_empty() =>
            {
                self.marked.clear();
                self.marked_names.clear();
                Outcome::Say("Marks cleared".into())
            }
            // Esc with nothing else to clear leaves the handover backlog.
            Action::Back if self.backlog && !self.searching && self.search.value().is_empty() => {
                self.backlog = false;
                self.reset(height)
            }
            Action::SearchClear | Action::Back => {
                self.searching = false;
                if self.search.value().is_empty() {
                    return Outcome::Nothing;
                }
                self.search.reset();
                self.reset(height)
            }
            Action::Text(key) => {
                if self.search.handle_event(&Event::Key(key)).is_some() {
                    return self.reset(height);
                }
                Outcome::Nothing
            }
            Action::CycleSort => {
                self.sort = self.sort.next();
                self.reset(height)
            }
            Action::SortBy(sort) => {
                self.sort = sort;
                self.reset(height)
            }
            Action::PickDepartment => Outcome::Run(Effect::LoadDepartments),
            Action::FilterDepartment(choice) => {
                self.department = choice;
                self.reset(height)
            }
            Action::CycleStatusFilter => {
                if !cx.show_dismissed {
                    return Outcome::Say(
                        "Dismissed employees are hidden: an administrator can show them in Settings (show_dismissed)".into(),
                    );
                }
                self.filter = match self.filter {
                    StatusFilter::Active => StatusFilter::Dismissed,
                    StatusFilter::Dismissed => StatusFilter::All,
                    StatusFilter::All => StatusFilter::Active,
                };
                self.reset(height)
            }
            Action::ToggleBacklog => {
                if !cx.me.is_staff() {
                    return Outcome::Say(
                        "The handover backlog is for administrators and company-structure staff"
                            .into(),
                    );
                }
                self.backlog = !self.backlog;
                self.reset(height)
            }
            Action::Open => match self.selected_employee() {
                Some(e) => Outcome::Run(Effect::LoadProfile(e.login.clone())),
                None => Outcome::Nothing,
            },
            Action::MenuReassign => {
                let Some(target) = self.selected_employee() else {
                    return Outcome::Nothing;
                };
                if !cx.me.is_staff() {
                    return Outcome::Say(
                        "Company-structure access is required to reassign responsibilities".into(),
                    );
                }
                Outcome::Run(Effect::PrepareReassign(target.login.clone()))
            }
            Action::Toggle => {
                let Some((login, name)) = self
                    .selected_employee()
                    .map(|e| (e.login.clone(), e.name()))
                else {
                    return Outcome::Nothing;
                };
                // The status bar shows the count while there are marks.
                match self.marked.iter().position(|l| *l == login) {
                    Some(i) => {
                        self.marked.remove(i);
                        self.marked_names.remove(i);
                    }
                    None => {
                        self.marked.push(login);
                        self.marked_names.push(name);
                    }
                }
                Outcome::Nothing
            }
            Action::RowMenu if !self.marked.is_empty() => {
                Outcome::Open(Dialog::BulkMenu(BulkMenu::new(
                    self.marked.clone(),
                    self.marked_names.clone(),
                    cx.me.is_staff(),
                )))
            }
            Action::RowMenu => match self.selected_row() {
                Some(row) => Outcome::Run(Effect::PrepareMenu {
                    login: row.employee.login.clone(),
                    in_profile: false,
                }),
                None => Outcome::Nothing,
            },
            _ => Outcome::Nothing,
        }
    }
}
