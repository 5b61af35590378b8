//! The terminal prompter: dialoguer selects for choices and inputs for numbers, each with
//! its help text and default.

use crate::advisor::answers::check_value;
use crate::advisor::{AnswerKind, Prompter, Question};
use dialoguer::{Input, Select, theme::ColorfulTheme};
use std::io::IsTerminal;

/// Asks on the terminal when stdin and stderr are both terminals.
pub struct Terminal {
    interactive: bool,
}

impl Terminal {
    /// A prompter that asks only when a person is at a terminal.
    pub fn detect() -> Self {
        Self {
            interactive: std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
        }
    }
}

impl Prompter for Terminal {
    fn interactive(&self) -> bool {
        self.interactive
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
                let mut input = Input::<String>::with_theme(&theme)
                    .with_prompt(format!("{prompt}  ({})", kind.accepted()))
                    .validate_with(move |s: &String| check_value(&answer, s).map(|_| ()));
                if let Some(d) = default {
                    input = input.default(d.to_string());
                }
                input.interact_text().map_err(|e| e.to_string())
            }
        }
    }
}
