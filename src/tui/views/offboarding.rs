//! The Offboarding pane: the checklist steps across the company, open ones overdue
//! first and then by due date, or those ticked done (newest first) to reopen one.
//! Staff see everyone's steps and can narrow them to their own (`m`); everyone else
//! sees only theirs. Only the page on screen is loaded, with the total.

use crate::directory::{ChecklistStep, OpenStep, StepFilter, StepQuery, StepsPage};
use crate::domain::{ChecklistState, Employee, Result, StepState, rules};
use crate::tui::action::Action;
use crate::tui::effect::Effect;
use crate::tui::wording::say;

use super::{Context, Outcome, is_move, move_selection};

/// The pane lists steps of running checklists only: open steps of open checklists,
/// done ones of open or completed checklists, never a canceled one's.
const RUNNING: ChecklistState = ChecklistState::Open;

#[derive(Debug, Default)]
pub struct OffboardingView {
    pub filter: StepFilter,
    /// Asked for only the acting user's steps (`m`); the page says whether it is so.
    pub mine: bool,
    pub page: StepsPage,
    /// Absolute index of the first loaded (and first visible) row.
    pub offset: i64,
    /// Absolute index of the selected row.
    pub selected: i64,
    pub loaded: bool,
}

/// Whether `me` may tick `step` of `login`'s checklist (in `state`) done or reopen it:
/// the rule the directory applies (`rules::check_step_change`), on what the screen
/// shows. A step is one's own when its owner's login is one's own (logins are unique).
pub fn may_change(
    me: &Employee,
    login: &str,
    state: ChecklistState,
    step: &ChecklistStep,
) -> Result<()> {
    rules::check_step_change(
        me,
        rules::StepFacts {
            login,
            list: state,
            step: step.number,
            owns_step: step.owner.as_deref() == Some(me.login.as_str()),
            owner: &step.owner_label(),
        },
    )
}

/// Whether `me` may change a row of the pane.
pub fn may_change_row(me: &Employee, row: &OpenStep) -> bool {
    may_change(me, &row.login, RUNNING, &row.step).is_ok()
}

/// Space on a step: done if it is open, reopened if it is done; or why not.
pub fn tick(me: &Employee, login: &str, state: ChecklistState, step: &ChecklistStep) -> Outcome {
    match may_change(me, login, state, step) {
        Err(e) => Outcome::Say(say(&e)),
        Ok(()) => Outcome::Run(Effect::ChangeStep {
            login: login.to_string(),
            number: step.number,
            done: step.state != StepState::Done,
        }),
    }
}

impl OffboardingView {
    pub fn query(&self, height: i64) -> StepQuery {
        StepQuery {
            filter: self.filter,
            mine: self.mine,
            offset: self.offset,
            limit: height,
        }
    }

    pub fn load(&self, height: i64) -> Effect {
        Effect::LoadSteps(self.query(height))
    }

    pub fn selected_row(&self) -> Option<&OpenStep> {
        self.page
            .rows
            .get(usize::try_from(self.selected - self.offset).ok()?)
    }

    /// Whether Space on the selected row would change it for `me`.
    pub fn can_tick(&self, me: &Employee) -> bool {
        self.selected_row().is_some_and(|r| may_change_row(me, r))
    }

    /// A page arrived. A list that shrank under the selection (a step ticked here or
    /// elsewhere) keeps the selection on its last row and loads the page that has it.
    pub fn apply(&mut self, page: StepsPage, height: i64) -> Option<Effect> {
        self.page = page;
        self.loaded = true;
        let total = self.page.total;
        if total == 0 {
            (self.selected, self.offset) = (0, 0);
            return None;
        }
        if self.selected >= total {
            self.selected = total - 1;
        }
        if self.page.rows.is_empty() && self.offset > 0 {
            self.offset = (total - height).max(0).min(self.selected);
            return Some(self.load(height));
        }
        None
    }

    /// Another page of the same list; one that arrives after the user moved on is
    /// dropped.
    pub fn apply_rows(&mut self, offset: i64, rows: Vec<OpenStep>) {
        if offset == self.offset {
            self.page.rows = rows;
        }
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
                let total = self.page.total;
                if move_selection(&mut self.selected, &mut self.offset, total, height, &a) {
                    return Outcome::Run(Effect::LoadStepRows(self.query(height)));
                }
                Outcome::Nothing
            }
            Action::TickStep => match self.selected_row() {
                Some(r) => tick(cx.me, &r.login, RUNNING, &r.step),
                None => Outcome::Nothing,
            },
            Action::Open => match self.selected_row() {
                Some(r) => Outcome::OpenProfile(r.login.clone()),
                None => Outcome::Nothing,
            },
            Action::ToggleMine => {
                if !cx.me.is_staff() {
                    return Outcome::Say(
                        "You see only your own steps: company-structure access shows everyone's"
                            .into(),
                    );
                }
                self.mine = !self.mine;
                self.reset(height)
            }
            Action::ToggleDoneSteps => {
                self.filter = match self.filter {
                    StepFilter::Open => StepFilter::Done,
                    StepFilter::Done => StepFilter::Open,
                };
                self.reset(height)
            }
            _ => Outcome::Nothing,
        }
    }
}
