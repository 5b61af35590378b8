//! The walk: trees in order, each from its start question along the edge the answer picks,
//! until an outcome. Answers come from the given [`Answers`], else from the [`Prompter`]
//! (a terminal), else from the question's default. A question answered once is reused by
//! every later tree that reaches it.

use super::answers::{Answers, check_value};
pub use super::path::StepSource;
use super::rules::{AnswerKind, Branch, Node, Question, Rules};
use super::{Error, Missing};
use crate::condition::Condition;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Asks a question on a terminal. The CLI implements it with dialoguer; tests script it.
pub trait Prompter {
    /// Whether the prompter can ask at all (a terminal is attached).
    fn interactive(&self) -> bool;
    /// Asks `q`; `default` is preselected. Returns the answer text.
    fn ask(&mut self, q: &Question, default: Option<&str>) -> Result<String, String>;
    /// Whether to ask `q` at all; a question it does not ask takes its default (a question
    /// without one is always asked).
    fn asks(&self, _q: &Question) -> bool {
        true
    }
}

/// A prompter that never asks (scripts, pipes, CI).
pub struct NoPrompt;

impl Prompter for NoPrompt {
    fn interactive(&self) -> bool {
        false
    }
    fn ask(&mut self, _: &Question, _: Option<&str>) -> Result<String, String> {
        Err("no terminal".into())
    }
}

/// One answered question on a tree's path.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub question: String,
    pub ask: String,
    /// The canonical answer (choice value, or the number as typed).
    pub answer: String,
    /// For numeric questions, the value in base units.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<f64>,
    /// The branch taken, as people read it: the choice label or "below 1M".
    pub branch: String,
    pub source: StepSource,
    /// Patterns picked up on this edge.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub patterns: Vec<String>,
}

/// How a tree ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum TreeStatus {
    /// Reached this outcome id.
    Reached { outcome: String },
    /// The tree's guard was false.
    Skipped,
    /// A question had no answer and no default.
    Incomplete { question: String },
}

/// One tree's walk.
#[derive(Debug, Clone, Serialize)]
pub struct TreeWalk {
    pub tree: String,
    pub title: String,
    #[serde(flatten)]
    pub status: TreeStatus,
    pub steps: Vec<Step>,
}

/// The whole walk.
#[derive(Debug, Clone, Serialize)]
pub struct Walk {
    pub trees: Vec<TreeWalk>,
    /// Every answer used, by question id.
    pub answers: BTreeMap<String, Step>,
    /// Given answers no walked tree asked.
    pub unused: Vec<String>,
    /// One line per given answer the walk did not take as written: a retired id mapped to
    /// the question that now asks its fact, or an answer that earlier answers settle
    /// otherwise. Never empty silently: every such answer gets its line.
    pub notes: Vec<String>,
}

impl Walk {
    /// Outcome ids reached, as `tree.outcome`.
    pub fn outcomes(&self) -> impl Iterator<Item = String> + '_ {
        self.trees.iter().filter_map(|t| match &t.status {
            TreeStatus::Reached { outcome } => Some(format!("{}.{outcome}", t.tree)),
            _ => None,
        })
    }
}

/// What conditions are evaluated against during and after the walk.
#[derive(Debug, Default)]
pub struct State<'a> {
    pub answers: BTreeMap<String, (String, Option<f64>)>,
    pub outcomes: BTreeSet<String>,
    pub packs: BTreeSet<String>,
    pub patterns: BTreeSet<String>,
    pub rules: Option<&'a Rules>,
}

impl State<'_> {
    /// Evaluates a condition. Answer tests on questions not answered are false.
    pub fn eval(&self, c: &Condition) -> bool {
        match c {
            Condition::Pack(p) => self.packs.contains(p),
            Condition::Outcome(o) => self.outcomes.contains(o),
            Condition::Pattern(p) => self.patterns.contains(p),
            Condition::Not(c) => !self.eval(c),
            Condition::All(cs) => cs.iter().all(|c| self.eval(c)),
            Condition::Any(cs) => cs.iter().any(|c| self.eval(c)),
            Condition::Answer(t) => {
                // A figure derived from the answers so far (`budget_per_hop`) is tested like
                // a numeric answer once its inputs are answered.
                let figure;
                let (value, number) = match self.answers.get(&t.id) {
                    Some((v, n)) => (v, n),
                    None => match super::figure::figures(&self.answers).get(t.id.as_str()) {
                        Some(v) => {
                            figure = (crate::yaml::float_text(*v), Some(*v));
                            (&figure.0, &figure.1)
                        }
                        None => return false,
                    },
                };
                let kind = self
                    .rules
                    .and_then(|r| r.question(&t.id))
                    .and_then(|q| match q.answer {
                        AnswerKind::Number { kind, .. } => Some(kind),
                        AnswerKind::Choice(_) => None,
                    })
                    .or_else(|| super::figure::figure(&t.id).map(|f| f.kind));
                let num = |s: &String| kind.and_then(|k| k.parse(s).ok());
                let mut ok = true;
                if let Some(is) = &t.is {
                    ok &= value == is;
                }
                if let Some(set) = &t.one_of {
                    ok &= set.contains(value);
                }
                if let Some(at_least) = &t.at_least {
                    ok &= matches!((number, num(at_least)), (Some(v), Some(b)) if *v >= b);
                }
                if let Some(below) = &t.below {
                    ok &= matches!((number, num(below)), (Some(v), Some(b)) if *v < b);
                }
                ok
            }
        }
    }
}

/// Walks every tree (or only `only`, when not empty) in order. `pack_order` lists pack ids
/// lowest first, so reaching a pack also selects every lower one (packs are cumulative).
pub fn walk(
    rules: &Rules,
    given: &Answers,
    only: &[String],
    pack_order: &[String],
    prompter: &mut dyn Prompter,
) -> Result<Walk, Error> {
    let (given, mut notes) = given.retire(rules);
    let given = &given;
    given.check(rules)?;
    let mut state = State {
        rules: Some(rules),
        ..State::default()
    };
    let mut answers: BTreeMap<String, Step> = BTreeMap::new();
    // Questions answered by their defaults so far: a derivation resting on one of them does
    // not override an answer the user gave (see [`rests_on_defaults`]).
    let mut defaulted: BTreeSet<String> = BTreeSet::new();
    let mut missing: Vec<Missing> = Vec::new();
    let mut trees = Vec::new();
    for tree in &rules.trees {
        if !only.is_empty() && !only.contains(&tree.id) {
            continue;
        }
        let mut tw = TreeWalk {
            tree: tree.id.clone(),
            title: tree.title.clone(),
            status: TreeStatus::Skipped,
            steps: Vec::new(),
        };
        if let Some(guard) = &tree.when
            && !state.eval(guard)
        {
            trees.push(tw);
            continue;
        }
        let mut node = tree.start;
        loop {
            match &rules.graph[node] {
                Node::Outcome(o) => {
                    state.outcomes.insert(format!("{}.{}", tree.id, o.id));
                    if let Some(p) = &o.pack
                        && let Some(pos) = pack_order.iter().position(|x| x == p)
                    {
                        state.packs.extend(pack_order[..=pos].iter().cloned());
                    }
                    state.patterns.extend(o.patterns.iter().cloned());
                    tw.status = TreeStatus::Reached {
                        outcome: o.id.clone(),
                    };
                    break;
                }
                Node::Question(q) => {
                    // A retired question takes its successor's answer (asking the successor
                    // here if no tree has yet), mapped to its own values.
                    let asked = match &q.from {
                        Some(f) => rules.question(&f.successor).unwrap_or(q),
                        None => q,
                    };
                    let step = match answers.get(&asked.id) {
                        Some(s) => s.clone(),
                        None => {
                            match answer(asked, given, prompter, &state, &defaulted, &mut notes)? {
                                Some(s) => s,
                                None => {
                                    missing.push(missing_entry(asked));
                                    tw.status = TreeStatus::Incomplete {
                                        question: asked.id.clone(),
                                    };
                                    break;
                                }
                            }
                        }
                    };
                    if let Some(f) = &q.from {
                        let own = f.values.get(&step.answer).cloned().unwrap_or_default();
                        let Some((edge, next)) = pick(
                            rules,
                            node,
                            q,
                            &Step {
                                answer: own.clone(),
                                ..step.clone()
                            },
                        ) else {
                            return Err(Error::Answers(vec![format!(
                                "`{}` = `{}` matches no branch of `{}` in {}",
                                asked.id, step.answer, q.id, tree.path
                            )]));
                        };
                        let mut step = step;
                        step.branch = branch_label(asked, &step.answer).unwrap_or(edge.0);
                        step.patterns = edge.1;
                        state.patterns.extend(step.patterns.iter().cloned());
                        state
                            .answers
                            .insert(asked.id.clone(), (step.answer.clone(), step.number));
                        state.answers.insert(q.id.clone(), (own, None));
                        if step.source == StepSource::Default {
                            defaulted.insert(asked.id.clone());
                        }
                        answers
                            .entry(asked.id.clone())
                            .or_insert_with(|| step.clone());
                        tw.steps.push(step);
                        node = next;
                        continue;
                    }
                    let Some((edge, next)) = pick(rules, node, q, &step) else {
                        // check_value accepted the answer, so some branch matches; a rules
                        // file whose numeric ranges do not cover the minimum lands here.
                        return Err(Error::Answers(vec![format!(
                            "`{}` = `{}` matches no branch of the question in {}",
                            q.id, step.answer, tree.path
                        )]));
                    };
                    let mut step = step;
                    step.branch = edge.0;
                    step.patterns = edge.1;
                    state.patterns.extend(step.patterns.iter().cloned());
                    state
                        .answers
                        .insert(q.id.clone(), (step.answer.clone(), step.number));
                    if step.source == StepSource::Default {
                        defaulted.insert(q.id.clone());
                    }
                    answers.insert(q.id.clone(), step.clone());
                    tw.steps.push(step);
                    node = next;
                }
            }
        }
        trees.push(tw);
    }
    if !missing.is_empty() {
        missing.dedup_by(|a, b| a.id == b.id);
        return Err(Error::Missing(missing));
    }
    // An answer typed at the prompt earlier in the run that this walk's branches no longer
    // reach is not the user's to clean up: only given answers are reported unused.
    let unused = given
        .given
        .iter()
        .filter(|(k, g)| {
            g.origin != super::answers::AnswerOrigin::Prompt && !answers.contains_key(*k)
        })
        .map(|(k, _)| k.clone())
        .collect::<Vec<String>>();
    notes.extend(unreached_because_of_defaults(rules, given, &trees, &unused));
    Ok(Walk {
        trees,
        answers,
        unused,
        notes,
    })
}

/// One note per given answer its tree walked past because the question where the path turned
/// away from it took its default: answering that question may lead to it (`cluster_nodes`
/// given, but `membership` defaulted to `orchestrator`, which does not count peers).
fn unreached_because_of_defaults(
    rules: &Rules,
    given: &Answers,
    trees: &[TreeWalk],
    unused: &[String],
) -> Vec<String> {
    let reaches = |from: &str, to: petgraph::graph::NodeIndex| {
        rules
            .question_node(from)
            .is_some_and(|n| petgraph::algo::has_path_connecting(&rules.graph, n, to, None))
    };
    let mut notes = Vec::new();
    for id in unused {
        let (Some(q), Some(target)) = (rules.question(id), rules.question_node(id)) else {
            continue;
        };
        let Some(tw) = trees.iter().find(|t| t.tree == q.tree) else {
            continue;
        };
        // The step where the path turned away: it could still reach the question, the next
        // one (or the outcome) cannot.
        let turned = tw.steps.iter().enumerate().find(|(i, s)| {
            reaches(&s.question, target)
                && !tw
                    .steps
                    .get(i + 1)
                    .is_some_and(|next| reaches(&next.question, target))
        });
        let Some((_, step)) = turned.filter(|(_, s)| s.source == StepSource::Default) else {
            continue;
        };
        let place = given
            .given
            .get(id)
            .map_or(format!("`{id}`"), |g| g.place(id));
        notes.push(format!(
            "{place}: not used: the {} tree took `{} = {}` by default, which does not lead to it; answer `{}` to decide",
            tw.tree, step.question, step.answer, step.question
        ));
    }
    notes
}

/// The label of choice `value` of `q`, if it has one.
fn branch_label(q: &Question, value: &str) -> Option<String> {
    match &q.answer {
        AnswerKind::Choice(cs) => cs
            .iter()
            .find(|c| c.value == value && !c.label.is_empty())
            .map(|c| c.label.clone()),
        AnswerKind::Number { .. } => None,
    }
}

/// The answer `q`'s `derive:` rules give from the answers so far, with the rule's condition
/// described for people (`rpo below 1ms`).
fn derived(q: &Question, state: &State) -> Option<(String, String)> {
    q.derive
        .iter()
        .find(|(c, _)| state.eval(c))
        .map(|(c, v)| (v.clone(), crate::condition::describe(c)))
}

/// Whether condition `c` tests an answer that was defaulted, directly or through a figure
/// computed from one (`replicas` from a defaulted `replica_rps`).
fn rests_on_defaults(c: &Condition, defaulted: &BTreeSet<String>) -> bool {
    match c {
        Condition::Answer(t) => {
            defaulted.contains(&t.id)
                || super::figure::figure(&t.id)
                    .is_some_and(|f| f.inputs.iter().any(|i| defaulted.contains(*i)))
        }
        Condition::Not(c) => rests_on_defaults(c, defaulted),
        Condition::All(cs) | Condition::Any(cs) => {
            cs.iter().any(|c| rests_on_defaults(c, defaulted))
        }
        Condition::Pack(_) | Condition::Outcome(_) | Condition::Pattern(_) => false,
    }
}

fn answer(
    q: &Question,
    given: &Answers,
    prompter: &mut dyn Prompter,
    state: &State,
    defaulted: &BTreeSet<String>,
    notes: &mut Vec<String>,
) -> Result<Option<Step>, Error> {
    // A derivation settles a question from earlier answers; one that rests on a default is
    // only an assumption, so an answer the user gave for the question itself wins over it.
    let settled = derived(q, state).filter(|_| {
        !(given.given.contains_key(&q.id)
            && q.derive
                .iter()
                .find(|(c, _)| state.eval(c))
                .is_some_and(|(c, _)| rests_on_defaults(c, defaulted)))
    });
    let (text, source) = if let Some((value, why)) = settled {
        if let Some(g) = given.given.get(&q.id)
            && check_value(&q.answer, &g.text).map(|v| v.0) != Ok(value.clone())
        {
            notes.push(format!(
                "{}: settled by earlier answers ({why}): taken as `{value}`, not `{}`",
                g.place(&q.id),
                g.text
            ));
        }
        (value, StepSource::Derived)
    } else if let Some(g) = given.given.get(&q.id) {
        (
            g.text.clone(),
            match g.origin {
                super::answers::AnswerOrigin::Prompt => StepSource::Prompt,
                _ => StepSource::Given,
            },
        )
    } else if prompter.interactive() && (prompter.asks(q) || q.default.is_none()) {
        let text = loop {
            let t = prompter
                .ask(q, q.default.as_deref())
                .map_err(Error::Prompt)?;
            if check_value(&q.answer, &t).is_ok() {
                break t;
            }
        };
        (text, StepSource::Prompt)
    } else if let Some(d) = &q.default {
        (d.clone(), StepSource::Default)
    } else {
        return Ok(None);
    };
    let (answer, number) = check_value(&q.answer, &text)
        .map_err(|m| Error::Answers(vec![format!("`{}`: {m}", q.id)]))?;
    Ok(Some(Step {
        question: q.id.clone(),
        ask: q.ask.clone(),
        answer,
        number,
        branch: String::new(),
        source,
        patterns: Vec::new(),
    }))
}

type Picked = ((String, Vec<String>), petgraph::graph::NodeIndex);

fn pick(
    rules: &Rules,
    node: petgraph::graph::NodeIndex,
    q: &Question,
    step: &Step,
) -> Option<Picked> {
    for (_, edge, to) in rules.branches(node) {
        let hit = match &edge.branch {
            Branch::Choice(v) => *v == step.answer,
            Branch::Range { .. } => step.number.is_some_and(|n| edge.branch.contains(n)),
        };
        if hit {
            let label = match (&edge.branch, &q.answer) {
                (Branch::Choice(v), AnswerKind::Choice(cs)) => {
                    cs.iter().find(|c| &c.value == v).map_or(v.clone(), |c| {
                        if c.label.is_empty() {
                            v.clone()
                        } else {
                            c.label.clone()
                        }
                    })
                }
                (Branch::Range { text, .. }, _) => text.clone(),
                (Branch::Choice(v), _) => v.clone(),
            };
            return Some(((label, edge.patterns.clone()), to));
        }
    }
    None
}

/// What a walk left to defaults: the questions, in the order the walk met them, and the
/// trees whose decisions rest on them (in walk order).
#[derive(Debug, Default, PartialEq)]
pub struct Remaining {
    pub questions: Vec<String>,
    pub trees: Vec<String>,
}

/// The questions of `walk` answered from their defaults and the trees they affect: what the
/// essentials-first flow offers to answer after the essential questions.
pub fn remaining(walk: &Walk) -> Remaining {
    let mut r = Remaining::default();
    for tw in &walk.trees {
        for s in tw.steps.iter().filter(|s| s.source == StepSource::Default) {
            if !r.questions.contains(&s.question) {
                r.questions.push(s.question.clone());
            }
            if !r.trees.contains(&tw.tree) {
                r.trees.push(tw.tree.clone());
            }
        }
    }
    r
}

/// The questions a finished walk answered from their defaults, as missing answers (with the
/// `--set` line that would answer each, showing the default). For `advise --strict`.
pub fn defaulted(rules: &Rules, walk: &Walk) -> Vec<Missing> {
    walk.answers
        .values()
        .filter(|s| s.source == StepSource::Default)
        .filter_map(|s| {
            let q = rules.question(&s.question)?;
            let mut m = missing_entry(q);
            m.set = format!("--set {}={}", q.id, s.answer);
            m.accepted = format!("{}; default {}", m.accepted, s.answer);
            Some(m)
        })
        .collect()
}

fn missing_entry(q: &Question) -> Missing {
    let (accepted, example) = match &q.answer {
        AnswerKind::Choice(cs) => {
            let values: Vec<&str> = cs.iter().map(|c| c.value.as_str()).collect();
            (
                values.join(" | "),
                values.first().map(|s| s.to_string()).unwrap_or_default(),
            )
        }
        AnswerKind::Number { kind, .. } => {
            (kind.accepted().to_string(), kind.example().to_string())
        }
    };
    Missing {
        id: q.id.clone(),
        ask: q.ask.clone(),
        accepted,
        set: format!("--set {}={example}", q.id),
    }
}
