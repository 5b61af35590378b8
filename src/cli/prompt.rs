//! The terminal prompter: dialoguer selects for choices and inputs for numbers, each with
//! its help text and default. Essentials first: the questions the rules mark `essential`
//! are asked, then the others are offered in one go (answer them or take their defaults).

use crate::advisor::answers::check_value;
use crate::advisor::walk::Remaining;
use crate::advisor::{AnswerKind, Prompter, Question};
use dialoguer::{Input, Select, theme::ColorfulTheme};
use std::io::IsTerminal;

/// Asks on the terminal when stdin and stderr are both terminals.
pub struct Terminal {
    interactive: bool,
    /// Ask only the essential questions (and those without a default); the others take
    /// their defaults until [`offer_remaining`] says otherwise.
    essentials_only: bool,
}

impl Terminal {
    /// A prompter that asks only when a person is at a terminal.
    pub fn detect() -> Self {
        Self {
            interactive: std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
            essentials_only: false,
        }
    }

    /// The same prompter, asking only the essential questions.
    pub fn essentials(self) -> Self {
        Self {
            essentials_only: true,
            ..self
        }
    }
}

/// Says what the essential questions left to defaults (how many questions, which decisions)
/// and asks whether to answer them now. `asked` is how many questions were just answered.
pub fn offer_remaining(asked: usize, remaining: &Remaining) -> Result<bool, String> {
    let n = remaining.questions.len();
    let trees = remaining.trees.len();
    let text = format!(
        "{asked} essential question{} answered. {n} more question{}, each with a default, \
         refine{} {trees} decision{}: {}.",
        if asked == 1 { "" } else { "s" },
        if n == 1 { "" } else { "s" },
        if n == 1 { "s" } else { "" },
        if trees == 1 { "" } else { "s" },
        remaining.trees.join(", "),
    );
    let items = [
        format!(
            "Answer the {n} remaining question{} now",
            if n == 1 { "" } else { "s" }
        ),
        "Take their defaults (marked (default) in the recommendation)".to_string(),
    ];
    let i = Select::with_theme(&ColorfulTheme::default())
        .with_prompt(format!(
            "{text}\n  Answer them now, or take their defaults?\n"
        ))
        .items(&items)
        .default(0)
        .interact()
        .map_err(|e| e.to_string())?;
    Ok(i == 0)
}

impl Prompter for Terminal {
    fn interactive(&self) -> bool {
        self.interactive
    }

    fn asks(&self, q: &Question) -> bool {
        !self.essentials_only || q.essential
    }

    fn ask(&mut self, q: &Question, default: Option<&str>) -> Result<String, String> {
        let theme = ColorfulTheme::default();
        let prompt = if q.help.is_empty() {
            format!("{} [{}]", q.ask, q.id)
        } else {
            format!("{} [{}]\n  {}\n", q.ask, q.id, q.help.replace('\n', "\n  "))
        };
        match &q.answer {
            AnswerKind::Choice(choices) => {
                let items: Vec<String> = choices
                    .iter()
                    .map(|c| {
                        if c.label.is_empty() {
                            c.value.clone()
                        } else {
                            format!("{}: {}", c.value, c.label)
                        }
                    })
                    .collect();
                let pos = default
                    .and_then(|d| choices.iter().position(|c| c.value == d))
                    .unwrap_or(0);
                let i = Select::with_theme(&theme)
                    .with_prompt(prompt)
                    .items(&items)
                    .default(pos)
                    .interact()
                    .map_err(|e| e.to_string())?;
                Ok(choices[i].value.clone())
            }
            AnswerKind::Number { kind, .. } => {
                let answer = q.answer.clone();
                let needed = format!(
                    "an answer is needed, this question has no default: {}",
                    kind.accepted()
                );
                // Enter on an empty line reaches the validator (allow_empty), which says what
                // is needed instead of the prompt coming back silently.
                let mut input = Input::<String>::with_theme(&theme)
                    .with_prompt(format!("{prompt}  ({})", kind.accepted()))
                    .allow_empty(true)
                    .validate_with(move |s: &String| {
                        if s.trim().is_empty() {
                            return Err(needed.clone());
                        }
                        check_value(&answer, s).map(|_| ())
                    });
                if let Some(d) = default {
                    input = input.default(d.to_string());
                }
                input.interact_text().map_err(|e| e.to_string())
            }
        }
    }
}
