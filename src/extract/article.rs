//! Finding the article of an HTML page by the shape of its text.
//!
//! One pass over the tree counts, for every element, its visible text, the
//! part of it inside links, and its *prose*: the text of paragraph-like blocks
//! that are long enough and not mostly links. The article is the element that
//! holds most of the page's prose, reached by descending from `body` into the
//! child that holds most of the current element's prose while it holds nearly
//! all of it (a lower share suffices for a child that is, or holds, the
//! document's own mark of the story: `main`, `article`, `[role=main]`,
//! `[itemprop=articleBody]`, or paragraphs of its JSON-LD `articleBody`).
//!
//! Tag names (`nav`, `aside`, `form`…) and class or id words ("sidebar",
//! "related"…) are hints only: an element they mark is left out unless it
//! holds half or more of the prose around it, so a wrapper named
//! `l-sidebar-fixed l-article-body` or an ASP.NET page inside one `<form>`
//! keeps its story. Inside the article, blocks made mostly of links (teaser
//! lists, "related" cards, a paragraph that is only a link to another story)
//! are left out of the watched text whatever their names.

use std::collections::HashMap;

use scraper::{ElementRef, Node};

/// Elements that end a block of text, for counting: those that end a line
/// of the extracted text (less the line breaks `br` and `hr`), table cells,
/// and `center`.
fn is_block(name: &str) -> bool {
    (super::html::BLOCK.contains(&name) && !matches!(name, "br" | "hr"))
        || super::html::CELL.contains(&name)
        || name == "center"
}

/// A block's own text (not counting nested blocks) is prose from this many
/// visible characters on (about five words; fewer for CJK scripts, where a
/// character is a word).
const PROSE_MIN: usize = 25;
const PROSE_MIN_CJK: usize = 12;

/// What is known about one element.
struct Info<'a> {
    el: ElementRef<'a>,
    parent: Option<usize>,
    children: Vec<usize>,
    /// Nearest enclosing block (itself when it is one).
    block: Option<usize>,
    invisible: bool,
    in_link: bool,
    /// Inside a `figure` (a picture and its caption).
    in_figure: bool,
    /// Inside an `article`: a `header` there is the story's own head
    /// (headline, byline, standfirst, sometimes the story), not the page's.
    in_article: bool,
    /// Inside a `header` inside an `article`: the story's head, where the
    /// blocks that are not prose nor headings are its byline, date, credits.
    in_story_head: bool,
    /// Visible non-space characters in the subtree, and those inside links.
    text: usize,
    link: usize,
    /// The block's own text (direct and inline), and the part in links.
    own_text: usize,
    own_link: usize,
    own_cjk: usize,
    /// Prose of this block alone, and of the whole subtree.
    own_prose: usize,
    prose: usize,
    /// Prose inside figures (captions, credits).
    figure_prose: usize,
    /// Prose of the subtree in blocks whose text the subtree shows more
    /// than once (a gallery's captions repeated in its slides and its panel).
    dup_prose: usize,
    /// Prose of the subtree less the elements the hints leave out.
    kept: usize,
    /// Tag or class words say this is not content.
    hinted: bool,
    /// Class words say so (before the prose it holds is weighed).
    named: bool,
    /// The tag (`nav`, `aside`, `form`…) or the ARIA role says so.
    hinted_tag: bool,
    /// A block that opens with a heading announcing other stories, or a
    /// teaser card (one of a run of like blocks each headed by a link).
    teaser: bool,
    /// Holds a heading that is mostly a link.
    linked_heading: bool,
    /// The document marks this as the story (or it holds such a mark).
    marked: bool,
    child_marked: bool,
    /// Holds a short block with no prose that is no heading (an author's
    /// name, a date, "Reply"): the head of a comment or of a listing entry.
    meta: bool,
}

/// The measured tree of a document.
pub(crate) struct Layout<'a> {
    nodes: Vec<Info<'a>>,
    index: super::IdMap<usize>,
    /// The story's headline: the visible `h1` the page's `title` names
    /// (or its only visible `h1`), and whether the title names it.
    headline: Option<(usize, bool)>,
}

/// Visible characters of a label before a block of links, at most.
const LABEL_MAX: usize = 60;

/// Whether `el` is typed as a person by the document's microdata
/// (`itemtype="https://schema.org/Person"`).
fn is_person(el: ElementRef<'_>) -> bool {
    super::attr(el.value(), "itemtype").is_some_and(|t| {
        let t = t.trim().trim_end_matches('/');
        t.len() >= 17 && t[t.len() - 17..].eq_ignore_ascii_case("schema.org/person")
    })
}

/// Whether `name` is a table's part.
fn is_cell(name: &str) -> bool {
    matches!(name, "td" | "th" | "tr" | "table" | "thead" | "tbody" | "tfoot" | "caption")
}

/// Prose (visible characters) a teaser card holds at most: a summary, not
/// a story.
const CARD_PROSE_MAX: usize = 800;

/// The least prose (visible characters) the part holding the headline must
/// have to be taken over a bigger part beside it.
const HEADED_MIN: usize = 300;

/// Word characters of `s` folded, as a set of words.
fn words_of(s: &str) -> std::collections::HashSet<String> {
    crate::text::normalize(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The story's headline among the measured nodes: of the visible `h1`s of
/// headline length, not mostly a link, the first most of whose words the
/// page's `title` holds (`true`), or the only one (`false`).
fn headline(nodes: &[Info<'_>]) -> Option<(usize, bool)> {
    let title = nodes.iter().find(|n| n.el.value().name() == "title")?;
    let title = words_of(&title.el.text().collect::<String>());
    let h1s: Vec<usize> = (0..nodes.len())
        .filter(|&i| {
            let n = &nodes[i];
            n.el.value().name() == "h1" && !n.invisible && (10..=300).contains(&n.text) && n.link * 2 < n.text
        })
        .collect();
    let named = h1s.iter().copied().find(|&i| {
        let w = words_of(&nodes[i].el.text().collect::<String>());
        !w.is_empty() && w.iter().filter(|x| title.contains(*x)).count() * 2 > w.len()
    });
    match named {
        Some(h) => Some((h, true)),
        None if h1s.len() == 1 => Some((h1s[0], false)),
        None => None,
    }
}

impl Info<'_> {
    /// `main`, `[role=main]` or `[itemprop=articleBody]` itself.
    fn marked_itself(&self) -> bool {
        let e = self.el.value();
        e.name() == "main"
            || super::attr(e, "role") == Some("main")
            || super::attr(e, "itemprop").is_some_and(|v| v.eq_ignore_ascii_case("articleBody"))
    }
}

/// A teaser by its shape: it opens with a link (another story's headline)
/// and its text ends cut short ("…", "..."): the summary of a story told
/// elsewhere.
fn linked_then_cut(el: ElementRef<'_>) -> bool {
    let first = el.descendants().find(|d| d.value().as_text().is_some_and(|t| !t.trim().is_empty()));
    let opens_linked = first.is_some_and(|t| {
        t.ancestors().take_while(|a| a.id() != el.id()).any(|a| a.value().as_element().is_some_and(|e| e.name() == "a"))
    });
    opens_linked && cut_short(&el.text().collect::<String>())
}

/// Whether `text` ends cut short ("…", "..."): a summary of more.
fn cut_short(text: &str) -> bool {
    let end = text.trim_end();
    end.ends_with("...") || end.ends_with('…')
}

/// Whether the last block of prose under `i` ends cut short ("…", "...").
fn prose_ends_cut(nodes: &[Info<'_>], i: usize) -> bool {
    let mut last = None;
    let mut stack = vec![i];
    while let Some(j) = stack.pop() {
        if nodes[j].own_prose > 0 && nodes[j].block == Some(j) && last.is_none_or(|l| j > l) {
            last = Some(j);
        }
        stack.extend(nodes[j].children.iter().copied());
    }
    last.is_some_and(|l| cut_short(&nodes[l].el.text().collect::<String>()))
}

/// The parent of `node` in the page's layout: a template's contents (a
/// declared shadow root's tree) belong to the template.
fn layout_parent(node: ego_tree::NodeRef<'_, Node>) -> Option<ego_tree::NodeRef<'_, Node>> {
    node.parent().and_then(|p| if p.value().is_fragment() { p.parent() } else { Some(p) })
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af | 0xf900..=0xfaff)
}

fn hidden(el: &scraper::node::Element) -> bool {
    if super::attr(el, "hidden").is_some() {
        return true;
    }
    // A dialog the page marks as closed (a cookie or settings box waiting to
    // be opened) is no part of what it shows, however much it says.
    let role = super::attr(el, "role").unwrap_or("");
    if matches!(role, "dialog" | "alertdialog") && super::attr(el, "aria-hidden") == Some("true") {
        return true;
    }
    let style: String = super::attr(el, "style").unwrap_or("").chars().filter(|c| !c.is_whitespace()).collect();
    let style = style.to_ascii_lowercase();
    style.contains("display:none") || style.contains("visibility:hidden")
}

impl<'a> Layout<'a> {
    /// Measures the tree under `root` (the `html` element).
    pub(crate) fn new(root: ElementRef<'a>, jsonld_body: Option<&str>) -> Layout<'a> {
        let mut nodes: Vec<Info<'a>> = Vec::new();
        let mut index: super::IdMap<usize> = super::IdMap::default();
        let mut direct: Vec<(usize, usize, usize)> = Vec::new(); // (element, chars, cjk)
        for node in root.descendants() {
            match node.value() {
                Node::Element(e) => {
                    let parent = layout_parent(node).and_then(|p| index.get(&p.id()).copied());
                    let el = ElementRef::wrap(node).expect("element");
                    let name = e.name();
                    let (p_invisible, p_link, p_block, p_figure, p_article, p_head) =
                        parent.map_or((false, false, None, false, false, false), |p| {
                            let n = &nodes[p];
                            let article = n.in_article || n.el.value().name() == "article";
                            (n.invisible, n.in_link, n.block, n.in_figure, article, n.in_story_head)
                        });

                    let i = nodes.len();
                    let block = if is_block(name) { Some(i) } else { p_block };
                    let noise = super::html::is_noise(e);
                    let marked = matches!(name, "main" | "article")
                        || super::attr(e, "role") == Some("main")
                        || super::attr(e, "itemprop").is_some_and(|v| v.eq_ignore_ascii_case("articleBody"));
                    nodes.push(Info {
                        el,
                        parent,
                        children: Vec::new(),
                        block,
                        invisible: p_invisible
                            || (super::html::INVISIBLE.contains(&name)
                                && !(name == "template" && super::attr(e, "shadowrootmode").is_some()))
                            || hidden(e),
                        // `<a name>` / `<a id>` without `href` are anchors, not links.
                        in_link: p_link
                            || (name == "a"
                                && (super::attr(e, "href").is_some()
                                    || (super::attr(e, "name").is_none() && super::attr(e, "id").is_none()))),
                        in_figure: p_figure || matches!(name, "figure" | "figcaption"),
                        in_article: p_article,
                        in_story_head: p_head || (name == "header" && p_article),
                        figure_prose: 0,
                        dup_prose: 0,
                        text: 0,
                        link: 0,
                        own_text: 0,
                        own_link: 0,
                        own_cjk: 0,
                        own_prose: 0,
                        prose: 0,
                        kept: 0,
                        hinted: noise,
                        named: noise,
                        teaser: is_block(name) && super::html::opens_with_teaser(el),
                        linked_heading: false,
                        hinted_tag: (super::html::CHROME.contains(&name) && !(name == "header" && p_article))
                            || matches!(
                                super::attr(e, "role").unwrap_or(""),
                                "navigation" | "banner" | "contentinfo" | "complementary" | "search" | "dialog"
                            ),
                        marked,
                        child_marked: false,
                        meta: false,
                    });
                    if let Some(p) = parent {
                        nodes[p].children.push(i);
                    }
                    index.insert(node.id(), i);
                }
                Node::Text(t) => {
                    let Some(p) = layout_parent(node).and_then(|p| index.get(&p.id()).copied()) else { continue };
                    if nodes[p].invisible {
                        continue;
                    }
                    let chars = t.chars().filter(|c| !c.is_whitespace()).count();
                    if chars > 0 {
                        let cjk = t.chars().filter(|&c| is_cjk(c)).count();
                        direct.push((p, chars, cjk));
                    }
                }
                _ => {}
            }
        }
        for (p, chars, cjk) in direct {
            let link = nodes[p].in_link;
            nodes[p].text += chars;
            if link {
                nodes[p].link += chars;
            }
            if let Some(b) = nodes[p].block {
                nodes[b].own_text += chars;
                nodes[b].own_cjk += cjk;
                if link {
                    nodes[b].own_link += chars;
                }
            }
        }
        // JSON-LD articleBody: the paragraphs it contains mark the story.
        let body = jsonld_body.map(crate::text::normalize).filter(|b| b.len() >= 200);
        // A block's own prose depends on its own text alone.
        for (i, n) in nodes.iter_mut().enumerate() {
            let min = if n.own_cjk * 2 > n.own_text { PROSE_MIN_CJK } else { PROSE_MIN };
            let heading = matches!(n.el.value().name(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
            if n.block == Some(i) && !heading && !n.invisible && n.own_text >= min && n.own_link * 2 < n.own_text {
                n.own_prose = n.own_text - n.own_link;
            }
            n.meta =
                n.block == Some(i) && !heading && !n.invisible && n.own_prose == 0 && (1..=80).contains(&n.own_text);
        }
        // Children before parents: sum up.
        for i in (0..nodes.len()).rev() {
            let n = &nodes[i];
            let own_prose = n.own_prose;
            let heading = matches!(n.el.value().name(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
            // An inline element (a link, a span) inside a paragraph of prose is
            // part of that prose whatever its class says (`<a class="popup">`).
            // (`aria-hidden` is no class word: what it hides stays hidden.)
            let in_prose =
                n.block.is_some_and(|b| b != i && nodes[b].own_prose >= 100 && n.text * 2 <= nodes[b].own_text)
                    && super::attr(n.el.value(), "aria-hidden") != Some("true");
            let in_body = own_prose > 0
                && body.as_deref().is_some_and(|b| {
                    let t = crate::text::normalize(&n.el.text().collect::<String>());
                    t.len() >= 40 && b.contains(&t)
                });
            let n = &mut nodes[i];
            n.prose += own_prose;
            if n.in_figure {
                n.figure_prose += own_prose;
            }
            // Class words are weak: a block they mark that reads like prose
            // (long, few links) is not left out for its name.
            n.hinted = n.hinted_tag || (n.hinted && !in_prose && (n.prose < 150 || n.link * 3 >= n.text));
            // A mark counts where it holds some prose (not on teaser cards).
            n.marked = (n.marked && n.prose >= 100) || n.child_marked || in_body;
            if heading && n.text >= 10 && n.link * 10 >= n.text * 6 {
                n.linked_heading = true;
            }
            let (text, link, prose, marked, linked, meta) =
                (n.text, n.link, n.prose, n.marked, n.linked_heading, n.meta);
            let figure_prose = n.figure_prose;
            if let Some(p) = n.parent {
                let p = &mut nodes[p];
                p.figure_prose += figure_prose;
                p.text += text;
                p.link += link;
                p.prose += prose;
                p.child_marked |= marked;
                p.meta |= meta;
                p.linked_heading |= linked;
            }
        }
        // Teaser cards: three or more like siblings (same tag and class), each
        // short and headed by a link.
        for p in 0..nodes.len() {
            if nodes[p].children.len() < 3 {
                continue;
            }
            let mut groups: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
            for &c in &nodes[p].children {
                let e = nodes[c].el.value();
                groups.entry((e.name(), super::attr(e, "class").unwrap_or(""))).or_default().push(c);
            }
            for (_, members) in groups {
                let cards: Vec<usize> = members
                    .into_iter()
                    .filter(|&c| {
                        let n = &nodes[c];
                        // A card holds a summary, not a story (the stories of an
                        // endless page, each headed by its linked headline).
                        (n.linked_heading || (n.text < 600 && linked_then_cut(n.el)))
                            && n.text < 2000
                            && n.prose < CARD_PROSE_MAX
                            && !n.marked_itself()
                    })
                    .collect();
                if cards.len() >= 3 {
                    for c in cards {
                        nodes[c].teaser = true;
                    }
                }
            }
            // Excerpt cards: three or more like wrappers (same tag and first
            // class word: `post-7816` differs from card to card), each a
            // summary, half of them or more cut short ("…"): other posts'
            // excerpts under the story, whether or not a link heads them.
            let mut wrappers: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
            for &c in &nodes[p].children {
                let e = nodes[c].el.value();
                if !matches!(e.name(), "p" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
                    let first = super::attr(e, "class").and_then(|c| c.split_whitespace().next()).unwrap_or("");
                    wrappers.entry((e.name(), first)).or_default().push(c);
                }
            }
            for members in wrappers.into_values().filter(|m| m.len() >= 3) {
                let summaries = members.iter().all(|&c| {
                    let n = &nodes[c];
                    n.prose > 0 && n.prose < CARD_PROSE_MAX && n.text < 2000 && !n.marked_itself()
                });
                if !summaries {
                    continue;
                }
                let cut = members.iter().filter(|&&c| prose_ends_cut(&nodes, c)).count();
                if cut >= 2 && cut * 2 >= members.len() {
                    for c in members {
                        nodes[c].teaser = true;
                    }
                }
            }
        }
        // Blocks of prose shown more than once within one part of the page
        // (a gallery's captions in its slides and again in its panel): each
        // copy's prose counts for the smallest element holding it and
        // another copy, and for that element's ancestors.
        let mut copies: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, n) in nodes.iter().enumerate() {
            if n.own_prose > 0 && n.text <= 2000 && n.block == Some(i) {
                let t: String = n.el.text().collect();
                copies.entry(t.split_whitespace().collect::<Vec<_>>().join(" ")).or_default().push(i);
            }
        }
        let last = |nodes: &[Info<'_>], mut i: usize| {
            while let Some(&c) = nodes[i].children.last() {
                i = c;
            }
            i
        };
        for list in copies.values().filter(|l| l.len() > 1) {
            for (k, &b) in list.iter().enumerate() {
                // The nearest copy in document order shares the deepest ancestor.
                let other = if k + 1 < list.len() { list[k + 1] } else { list[k - 1] };
                let mut a = nodes[b].parent;
                while let Some(x) = a {
                    if x <= other && other <= last(&nodes, x) {
                        break;
                    }
                    a = nodes[x].parent;
                }
                // Copies side by side (one parent) are the page's own
                // repetition, not a widget's.
                if let Some(x) = a.filter(|&x| Some(x) != nodes[b].parent) {
                    nodes[x].dup_prose += nodes[b].own_prose;
                }
            }
        }
        for i in (0..nodes.len()).rev() {
            let d = nodes[i].dup_prose;
            if let Some(p) = nodes[i].parent {
                nodes[p].dup_prose += d;
            }
        }
        let headline = headline(&nodes);
        let mut layout = Layout { nodes, index, headline };
        let total = layout.nodes.first().map_or(0, |n| n.prose);
        for i in (0..layout.nodes.len()).rev() {
            let n = &layout.nodes[i];
            let left_out = n.invisible || n.teaser || (n.hinted && (n.prose * 2 < total || total == 0));
            let kept = if left_out { 0 } else { n.kept + n.own_prose };
            layout.nodes[i].kept = kept;
            if let Some(p) = layout.nodes[i].parent {
                layout.nodes[p].kept += kept;
            }
        }
        layout
    }

    fn at(&self, el: ElementRef<'_>) -> Option<usize> {
        self.index.get(&el.id()).copied()
    }

    /// Visible non-space characters under `el`.
    pub(crate) fn text(&self, el: ElementRef<'_>) -> usize {
        self.at(el).map_or(0, |i| self.nodes[i].text)
    }

    /// Whether the hints leave `el` out of the page (it holds less than half
    /// of the page's prose and its tag or class words say it is furniture).
    pub(crate) fn is_left_out(&self, el: ElementRef<'_>) -> bool {
        let total = self.nodes.first().map_or(0, |n| n.prose);
        self.at(el).is_some_and(|i| {
            let n = &self.nodes[i];
            n.invisible || n.teaser || (n.hinted && (n.prose * 2 < total || total == 0))
        })
    }

    /// The article: the element holding most of the page's prose, plus prose
    /// paragraphs standing beside it on the way down (a lead paragraph
    /// outside the body's wrapper). `None` when the page has too little prose
    /// to tell.
    pub(crate) fn article(&self, body: ElementRef<'a>) -> Option<Vec<ElementRef<'a>>> {
        let mut node = self.at(body)?;
        if self.nodes[node].kept < 60 {
            return None;
        }
        let mut beside: Vec<usize> = Vec::new();
        let mut path: Vec<usize> = vec![node];
        loop {
            let n = &self.nodes[node];
            let total = n.kept;
            let weight = |i: usize| -> usize {
                let c = &self.nodes[i];
                c.kept * if c.marked { 5 } else { 4 }
            };
            let Some(&most) = n.children.iter().filter(|&&c| self.nodes[c].kept > 0).max_by_key(|&&c| weight(c)) else {
                break;
            };
            // Two big parts side by side (a story and its comment thread,
            // both prose): the `article` holding the headline is the story,
            // when it holds a good part of the prose of the other and the
            // other is no `article` itself. (A head part that is no
            // `article`, a headline and a lead before the body in a
            // sibling, is not taken alone.)
            let headed = self.headline.and_then(|(h, _)| {
                let holds = |c: usize| c <= h && h <= self.end(c);
                let story = |c: usize| self.nodes[c].el.value().name() == "article" || self.nodes[c].marked_itself();
                let c = n.children.iter().copied().find(|&c| holds(c))?;
                let (k, m) = (self.nodes[c].kept, self.nodes[most].kept);
                let over_thread = story(c) && !story(most) && k * 3 >= m;
                (c != most && !holds(most) && k >= HEADED_MIN && (over_thread || self.records(most))).then_some(c)
            });
            let best = headed.unwrap_or(most);
            // Parts whose names say furniture ("footer-content") but that read
            // like prose are kept, yet do not hold the descent back from a part
            // that has no such name (unless the document marks them as its
            // story: `article`, `main`).
            let named: usize = if self.nodes[best].named {
                0
            } else {
                let furniture = |c: usize| c != best && self.nodes[c].named && !self.nodes[c].marked;
                n.children.iter().filter(|&&c| furniture(c)).map(|&c| self.nodes[c].kept).sum()
            };
            let share = self.nodes[best].kept as f64 / total.saturating_sub(named).max(1) as f64;
            // Beside parts that are mostly not prose (a sidebar of tweets,
            // ads and labels), two thirds of the prose is enough.
            let sparse = |c: usize| {
                let c = &self.nodes[c];
                c.kept * 5 < c.text * 2
                    && !c.el.descendants().any(|d| d.value().as_element().is_some_and(|e| e.name() == "table"))
            };
            let beside_sparse = n.children.iter().all(|&c| c == best || self.nodes[c].kept == 0 || sparse(c));
            let needed = if self.nodes[best].marked {
                0.5
            } else if beside_sparse {
                0.66
            } else {
                0.8
            };
            if share < needed && headed.is_none() {
                break;
            }
            // Not down into a thread of dated records (comments) away from
            // the headline when a story stands beside it here: the story is
            // this element, the thread left out of it (`left_out`).
            let headline_here = self.headline.is_some_and(|(h, _)| node < h && h <= self.end(node));
            let holds_headline = self.headline.is_some_and(|(h, _)| best <= h && h <= self.end(best));
            if headline_here
                && !holds_headline
                && total.saturating_sub(self.nodes[best].kept) >= HEADED_MIN
                && self.records(best)
            {
                break;
            }
            beside.extend(n.children.iter().copied().filter(|&c| {
                c != best && {
                    let c = &self.nodes[c];
                    c.kept >= 50 && c.kept == c.own_prose && c.link * 4 < c.text
                }
            }));
            node = best;
            path.push(node);
        }
        beside.extend(self.split_parts(&path));
        beside.push(node);
        beside.sort_unstable();
        beside.dedup();
        let head = self.head(&path, &beside);
        beside.extend(head);
        beside.sort_unstable();
        Some(beside.into_iter().map(|i| self.nodes[i].el).collect())
    }

    /// The last node of the subtree of `i` (nodes are numbered in document
    /// order, so the subtree of `i` is `i..=end(i)`).
    fn end(&self, mut i: usize) -> usize {
        while let Some(&last) = self.nodes[i].children.last() {
            i = last;
        }
        i
    }

    /// Whether the prose of `i` is mostly a run of dated records: three or
    /// more like siblings (same tag and first class word) within it, each with prose
    /// and a dated head of its own (a short block that is no heading and no
    /// prose, reading as a date or time: a comment's stamp), together
    /// holding 60 % of its prose or more. A comment thread; a story's
    /// paragraphs and sections, a product's feature cards have no such
    /// heads.
    fn records(&self, i: usize) -> bool {
        let total = self.nodes[i].prose;
        let mut p = i;
        for _ in 0..6 {
            let n = &self.nodes[p];
            // (members, members with prose and a head) by tag and first
            // class word: comments' classes differ in their others ("even",
            // "depth-1", the author's).
            let mut groups: HashMap<(&str, &str), (usize, Vec<usize>)> = HashMap::new();
            for &c in &n.children {
                let e = self.nodes[c].el.value();
                let class = super::attr(e, "class").and_then(|c| c.split_whitespace().next()).unwrap_or("");
                let g = groups.entry((e.name(), class)).or_default();
                g.0 += 1;
                if self.nodes[c].meta && self.nodes[c].prose > 0 {
                    g.1.push(c);
                }
            }
            // Their heads read for a date only where the shape already fits
            // (so a wrapper's subtree is not searched at every level).
            let dated = |all: usize, headed: &[usize]| {
                if headed.len() < 3 || headed.len() * 3 < all * 2 {
                    return false;
                }
                let dated: Vec<usize> = headed.iter().copied().filter(|&c| self.dated_head(c)).collect();
                let prose: usize = dated.iter().map(|&c| self.nodes[c].prose).sum();
                dated.len() >= 3 && dated.len() * 3 >= all * 2 && prose * 10 >= total * 6
            };
            if groups.values().any(|(all, headed)| dated(*all, headed)) {
                return true;
            }
            // Down into the child holding most of the prose, while it holds most.
            let Some(&next) = n.children.iter().max_by_key(|&&c| self.nodes[c].prose) else { return false };
            if self.nodes[next].prose * 10 < total * 6 {
                return false;
            }
            p = next;
        }
        false
    }

    /// Whether the subtree of `c` holds a short block with no prose that
    /// reads as a date, a time or a relative time (a comment's stamp).
    fn dated_head(&self, c: usize) -> bool {
        (c..=self.end(c)).any(|d| {
            let n = &self.nodes[d];
            n.block == Some(d)
                && n.own_prose == 0
                && (1..=80).contains(&n.text)
                && crate::compare::is_dated(&n.el.text().collect::<String>())
        })
    }

    /// The story's head when it stands before the chosen container: the
    /// headline (the last visible `h1` before the container, within one of
    /// the container's ancestors below `body`) and, between it and the
    /// container, the blocks that read like a standfirst (a deck, a lead
    /// paragraph): a heading of sentence length or prose that ends like a
    /// sentence (a dateline does not), not mostly links,
    /// not in a figure, not inside navigation, an aside or a teaser. Only
    /// when little stands between the headline and the container (under
    /// `HEAD_MAX` visible characters), so a site title far above the story
    /// brings nothing in. Blocks already inside `roots`, or holding one, are
    /// not taken twice.
    fn head(&self, path: &[usize], roots: &[usize]) -> Vec<usize> {
        const HEAD_MAX: usize = 1500;
        let Some(&node) = path.last() else { return Vec::new() };
        let heading = |i: usize| matches!(self.nodes[i].el.value().name(), "h1" | "h2" | "h3");
        // Furniture on the way up from `i` to `top` (exclusive): hidden,
        // a teaser, a list item, navigation or an aside (a `header` is where heads live:
        // its name and class words are not held against it), or class words
        // that the prose inside does not outweigh.
        let furniture = |mut i: usize, top: usize| -> bool {
            while i != top {
                let n = &self.nodes[i];
                let header = n.el.value().name() == "header";
                // A list item is no lead: an author box, a list of stories.
                let item = n.el.value().name() == "li";
                if n.invisible || n.teaser || n.in_figure || item || (n.hinted && !header) {
                    return true;
                }
                match n.parent {
                    Some(p) => i = p,
                    None => return false,
                }
            }
            false
        };
        // The container's ancestors below `body`, outermost first.
        let ancestors = path.get(1..path.len().saturating_sub(1)).unwrap_or(&[]);
        let Some(&outer) = ancestors.first() else { return Vec::new() };
        // The headline: the last `h1` before the container, not around it;
        // `top`, the deepest of the ancestors holding it.
        // Or, none there, the page's headline (the `h1` its title names) in
        // a part of its own before the container's (a head section above the
        // body); `top` is then the page's `body`.
        let within = (outer + 1..node).rev().find(|&i| self.nodes[i].el.value().name() == "h1" && self.end(i) < node);
        let (h1, top) = match within {
            Some(h1) => {
                let Some(&top) = ancestors.iter().rev().find(|&&a| a < h1) else { return Vec::new() };
                (h1, top)
            }
            None => match (self.headline, path.first()) {
                (Some((h, true)), Some(&body)) if h < outer && self.end(h) < outer => (h, body),
                _ => return Vec::new(),
            },
        };
        let n = &self.nodes[h1];
        if n.text < 10 || n.text > 300 || n.link * 10 >= n.text * 6 || furniture(h1, top) {
            return Vec::new();
        }
        let mut between = 0;
        // The headline itself is not watched (see `left_out`): what stands
        // between it and the container is.
        let mut picked: Vec<usize> = Vec::new();
        let mut i = self.end(h1) + 1;
        while i < node {
            let n = &self.nodes[i];
            let around = self.end(i) >= node; // an ancestor of the container
            if n.block != Some(i) || around {
                i += 1;
                continue;
            }
            let deck = heading(i) && n.own_text >= PROSE_MIN && n.link * 2 < n.text;
            let taken = roots.iter().any(|&r| (r <= i && i <= self.end(r)) || (i <= r && r <= self.end(i)));
            // A lead reads as sentences; a dateline or byline ("Yahoo
            // Finance October 13, 2016") does not end like one.
            let sentence = || {
                let t: String = n.el.text().collect();
                n.text >= 120 || t.trim_end().ends_with(['.', '!', '?', '。', '…', '"', '»', '”'])
            };
            if (deck || (n.own_prose > 0 && sentence())) && !taken && !furniture(i, top) {
                between += n.text;
                picked.push(i);
                i = self.end(i) + 1; // the block whole, its nested blocks with it
                continue;
            }
            between += n.own_text;
            i += 1;
        }
        if between <= HEAD_MAX {
            picked
        } else {
            Vec::new()
        }
    }

    /// The rest of a story split across sibling containers (a lead or
    /// standfirst in its own wrapper before the body, a body cut in two
    /// around an ad or a figure): near the chosen container (its siblings,
    /// and those of its parents up to three levels, not past the document's
    /// own mark of the story nor up to `body`), the siblings that read like
    /// prose: some prose, under a quarter of their text in links, and at
    /// least a third of their text in prose paragraphs.
    fn split_parts(&self, path: &[usize]) -> Vec<usize> {
        let mut parts = Vec::new();
        for k in (1..path.len()).rev().take(3) {
            let (parent, on_path) = (path[k - 1], path[k]);
            if k == 1 {
                break; // the children of `body` are the page's own layout
            }
            let mut after = false;
            for &c in &self.nodes[parent].children {
                if c == on_path {
                    after = true;
                    continue;
                }
                let n = &self.nodes[c];
                // Figures (a photo and its credit) and blocks named as
                // furniture (comments, an author box) are not the story.
                let kept = n.kept.saturating_sub(n.figure_prose);
                let prose_like = kept >= 50 && n.link * 4 < n.text && kept * 3 >= n.text && !n.named;
                // After the body, author boxes, notices, sidebars and teaser
                // summaries read like prose too: only a long, prose-dense
                // part built like the body's own (same tag and class) counts.
                let like = |a: &Info<'_>, b: &Info<'_>| {
                    a.el.value().name() == b.el.value().name()
                        && super::attr(a.el.value(), "class") == super::attr(b.el.value(), "class")
                };
                let long = kept >= 300 && kept * 2 >= n.text && !n.linked_heading && like(n, &self.nodes[on_path]);
                if prose_like && (!after || long) {
                    parts.push(c);
                }
            }
            let p = &self.nodes[parent];
            if p.marked_itself() || p.el.value().name() == "article" {
                break;
            }
        }
        parts
    }

    /// The elements under `roots` left out of the watched text: those the
    /// hints mark that hold less than half of the prose of the root they are
    /// in, and blocks made mostly of links.
    /// Whether node `i` is a block made of links ("Related: <a>…</a>", a
    /// list of other stories) holding little of the prose under a root
    /// holding `root_prose`.
    fn links(&self, i: usize, root_prose: usize) -> bool {
        let n = &self.nodes[i];
        n.block == Some(i)
            && !is_cell(n.el.value().name())
            && n.text > 0
            && n.link * 10 >= n.text * 6
            && (n.text < 400 || n.link * 100 >= n.text * 85)
            && n.prose * 2 < root_prose.max(1)
    }

    /// Whether node `i` is a short label standing right before a block of
    /// links ([`Self::links`]): a block of a few words, no heading, with no
    /// link of its own, that announces what follows ("Auch interessant:",
    /// "Schon gelesen?"), nothing but spaces between them.
    fn labels_links(&self, i: usize, root_prose: usize) -> bool {
        let n = &self.nodes[i];
        let name = n.el.value().name();
        // A heading names a section of the page, whatever it holds.
        let heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        if n.block != Some(i) || n.text == 0 || n.text > LABEL_MAX || n.link > 0 || is_cell(name) || heading {
            return false;
        }
        let next = n.el.next_siblings().find(|s| match s.value() {
            Node::Text(t) => !t.trim().is_empty(),
            Node::Element(_) => true,
            _ => false,
        });
        let Some(next) = next.and_then(ElementRef::wrap) else { return false };
        if !self.at(next).is_some_and(|j| self.links(j, root_prose)) {
            return false;
        }
        let text: String = n.el.text().collect();
        let text = text.trim();
        text.split_whitespace().count() <= 6 && text.ends_with([':', '?', '\u{ff1a}', '\u{ff1f}'])
    }

    pub(crate) fn left_out(&self, roots: &[ElementRef<'_>]) -> super::IdSet {
        let mut out = super::IdSet::default();
        for r in roots {
            let Some(ri) = self.at(*r) else { continue };
            let root_prose = self.nodes[ri].prose;
            // Captions describe pictures; where they carry a third of the
            // prose or more (a how-to told in its photos' captions), they
            // are the story.
            let captions = self.nodes[ri].figure_prose * 3 < root_prose;
            let after = self.headline.map(|(h, _)| self.end(h)).filter(|&h| ri <= h && h <= self.end(ri));
            for d in r.descendants().skip(1) {
                let Some(i) = self.index.get(&d.id()).copied() else { continue };
                let n = &self.nodes[i];
                let name = n.el.value().name();
                // A card the document itself types as a person (an author's
                // box with a biography), a block of its own.
                let person = n.block == Some(i) && is_person(n.el);
                let hinted = (n.hinted || person) && (n.prose * 2 < root_prose || root_prose == 0);
                let cell = is_cell(name);
                let links = self.links(i, root_prose);
                // A label whose block is left out with it ("Schon gelesen?"
                // over a list of links).
                let label = self.labels_links(i, root_prose);
                // In the story's own head: a block with no prose that is no
                // heading (a byline, a date, a photo credit, tags).
                let heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
                let head_bit = n.in_story_head && n.block == Some(i) && n.prose == 0 && !heading && !cell;
                // A run of records (comments) after the story's headline,
                // with a story of its own outside it.
                let thread = after.is_some_and(|h| i > h)
                    && n.block.is_none_or(|b| b == i)
                    && n.prose >= HEADED_MIN
                    && root_prose.saturating_sub(n.prose) >= HEADED_MIN
                    && self.records(i);
                // A widget whose prose is mostly text shown again elsewhere
                // on the page (a gallery's slides and its caption panel).
                let repeated = n.prose >= 100 && n.dup_prose * 3 >= n.prose * 2 && n.prose * 2 < root_prose;
                // The page's headline: publishers rewrite and test headlines
                // over a story that stays; the quotes are still searched in it.
                let headline = self.headline.is_some_and(|(h, _)| h == i);
                if hinted
                    || links
                    || label
                    || n.teaser
                    || head_bit
                    || (name == "figcaption" && captions)
                    || thread
                    || repeated
                    || headline
                {
                    out.insert(d.id());
                }
            }
        }
        out
    }
}

/// The `articleBody` of the page's JSON-LD, when it has one.
pub(crate) fn jsonld_article_body(doc: &scraper::Html) -> Option<String> {
    let sel = scraper::Selector::parse("script[type]").ok()?;
    fn find(v: &serde_json::Value) -> Option<String> {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::String(s)) = m.get("articleBody") {
                    return Some(s.clone());
                }
                m.values().find_map(find)
            }
            serde_json::Value::Array(a) => a.iter().find_map(find),
            _ => None,
        }
    }
    doc.select(&sel)
        .filter(|s| s.value().attr("type").is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json")))
        .filter_map(|s| {
            let code: String = s.text().collect();
            if code.len() > 4 << 20 {
                return None;
            }
            serde_json::from_str::<serde_json::Value>(code.trim()).ok()
        })
        .find_map(|v| find(&v))
}
