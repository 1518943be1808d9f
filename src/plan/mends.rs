//! What the engine changes in lines after setting the pages showed them faulty ([`Mends`]): the
//! line check finds them on one setting, the next setting applies them, and the measuring
//! sets none, as none changes how many lines a paragraph takes.

use std::collections::BTreeSet;

/// A place in an article's body text: (article, block, run, byte offset into the run's text).
pub type At = (usize, usize, usize, usize);

/// What the engine changes in lines, each keyed by where it is in the text ([`At`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mends {
    /// Breaks that leave the line before them flush to its start rather than justified: after
    /// a line that justification would leave looser than the layout allows, because the long
    /// word after it moved whole to the next line.
    pub ragged: BTreeSet<At>,
    /// Breaks kept where Typst put them, the line before them justified: the ends of a line
    /// whose marks are [`halved`](Mends::halved), which Typst would otherwise break anew.
    pub kept: BTreeSet<At>,
    /// Full-width marks set half wide (挤进): on a line Typst squeezed to hold one more
    /// character, as many of its marks as make room, where Typst shrinks every mark of the
    /// line a little (a comma of 0.71 em beside full ones).
    pub halved: BTreeSet<At>,
    /// Marks whose halving left their line looser than the layout allows, and ragged breaks
    /// whose line then took another: set as Typst sets them, and not mended again.
    pub declined: BTreeSet<At>,
}

impl Mends {
    /// What `found` has that these mends do not: of its declined marks, those these mends
    /// halved; of its halved marks, none declined.
    pub fn new_in(&self, found: Mends) -> Mends {
        let new = |set: BTreeSet<At>, have: &BTreeSet<At>| set.difference(have).copied().collect();
        let declined: BTreeSet<At> = found.declined.intersection(&self.halved).copied().collect();
        let halved =
            found.halved.into_iter().filter(|at| !self.declined.contains(at) && !declined.contains(at));
        let ragged = found.ragged.difference(&self.declined).copied().collect();
        Mends {
            ragged: new(ragged, &self.ragged),
            kept: new(found.kept, &self.kept),
            halved: new(halved.collect(), &self.halved),
            declined,
        }
    }

    /// What the next setting adds to these mends, from what the line check `found` on this
    /// one: the `recent` ragged breaks (the last setting's) of the articles that `ran_over`
    /// their frames, declined — a ragged break whose line then took another, as the characters
    /// it brought back did not fit — else the first kind of what is new in `found`.
    pub fn next(&self, found: Mends, recent: &BTreeSet<At>, ran_over: impl Fn(usize) -> bool) -> Mends {
        let declined: BTreeSet<At> = recent.iter().filter(|at| ran_over(at.0)).copied().collect();
        match declined.is_empty() {
            true => self.new_in(found).first_kind(),
            false => Mends { declined, ..Mends::default() },
        }
    }

    /// The first kind of these mends there is, alone: declined ones (they set their lines
    /// as before), then ragged breaks (one moves characters to the lines after it, which then
    /// break anew), then the squeezed lines' kept breaks and halved marks, once the breaks stand.
    pub fn first_kind(self) -> Mends {
        if !self.declined.is_empty() {
            Mends { declined: self.declined, ..Mends::default() }
        } else if !self.ragged.is_empty() {
            Mends { ragged: self.ragged, ..Mends::default() }
        } else {
            self
        }
    }

    pub fn is_empty(&self) -> bool {
        self.ragged.is_empty() && self.kept.is_empty() && self.halved.is_empty() && self.declined.is_empty()
    }

    pub fn extend(&mut self, other: Mends) {
        self.ragged.extend(other.ragged);
        self.kept.extend(other.kept);
        self.halved.extend(other.halved);
        self.halved.retain(|at| !other.declined.contains(at));
        self.ragged.retain(|at| !other.declined.contains(at));
        self.declined.extend(other.declined);
    }

    /// The mends outside the `changed` articles: those a build that sets the other articles as
    /// before finds again.
    pub fn outside(&self, changed: &[usize]) -> Mends {
        let keep = |set: &BTreeSet<At>| set.iter().filter(|at| !changed.contains(&at.0)).copied().collect();
        Mends {
            ragged: keep(&self.ragged),
            kept: keep(&self.kept),
            halved: keep(&self.halved),
            declined: keep(&self.declined),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(places: &[usize]) -> BTreeSet<At> {
        places.iter().map(|&at| (0, 0, 0, at)).collect()
    }

    #[test]
    fn a_setting_mends_one_kind_at_a_time_and_a_declined_mark_is_not_halved_again() {
        let mut mends = Mends { kept: set(&[10, 40]), halved: set(&[21]), ..Mends::default() };
        // The loose line holds the halved mark and two others: only the halved one is declined.
        let found = Mends {
            ragged: set(&[90]),
            halved: set(&[60]),
            declined: set(&[18, 21, 24]),
            ..Mends::default()
        };
        let new = mends.new_in(found).first_kind();
        assert_eq!(new, Mends { declined: set(&[21]), ..Mends::default() });
        mends.extend(new);
        assert!(mends.halved.is_empty());
        // Found again on the next setting, the mark stays declined; ragged breaks come first.
        let found = Mends { ragged: set(&[90]), halved: set(&[21, 60]), ..Mends::default() };
        let new = mends.new_in(found.clone()).first_kind();
        assert_eq!(new, Mends { ragged: set(&[90]), ..Mends::default() });
        mends.extend(new);
        let new = mends.new_in(found).first_kind();
        assert_eq!(new, Mends { halved: set(&[60]), ..Mends::default() });
        // A ragged break whose part then ran over is declined, and not set again.
        let found = Mends { ragged: set(&[90]), ..Mends::default() };
        let new = mends.next(found.clone(), &set(&[90]), |a| a == 0);
        assert_eq!(new, Mends { declined: set(&[90]), ..Mends::default() });
        mends.extend(new);
        assert!(!mends.ragged.contains(&(0, 0, 0, 90)));
        assert_eq!(mends.next(found, &BTreeSet::new(), |_| false), Mends::default());
        // An article set anew keeps none of its mends.
        assert_eq!(mends.outside(&[0]), Mends::default());
    }
}
