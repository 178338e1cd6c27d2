"""Demo article: hierarchical forecast reconciliation (topic: forecasting)."""

_RECONCILE_CODE = '''\
import numpy as np

# Total -> {A, B}; A -> {A1, A2}; B -> {B1, B2}.
# Rows: all n=7 series. Columns: the m=4 bottom-level series.
S = np.vstack([[1, 1, 1, 1], [1, 1, 0, 0], [0, 0, 1, 1], np.eye(4)])


def reconcile(base, S, W):
    """Coherent forecasts S (S' W^-1 S)^-1 S' W^-1 base, for base of shape n x h."""
    W_inv = np.linalg.inv(W)
    G = np.linalg.solve(S.T @ W_inv @ S, S.T @ W_inv)
    return S @ (G @ base)


def shrunk_covariance(res):
    """Residual covariance (res: T x n) shrunk toward its diagonal."""
    T, n = res.shape
    z = (res - res.mean(axis=0)) / res.std(axis=0)
    w = z[:, :, None] * z[:, None, :]
    corr = w.mean(axis=0)
    var_corr = T / (T - 1) ** 3 * ((w - corr) ** 2).sum(axis=0)
    off = ~np.eye(n, dtype=bool)
    lam = np.clip(var_corr[off].sum() / (corr[off] ** 2).sum(), 0, 1)
    std = res.std(axis=0)
    return (lam * np.eye(n) + (1 - lam) * corr) * np.outer(std, std)


W_struct = np.diag(S.sum(axis=1))  # structural scaling, needs no residuals
W_mint = shrunk_covariance(res)    # MinT with shrinkage

coherent = reconcile(base, S, W_mint)
assert np.allclose(coherent[0], coherent[3:].sum(axis=0))  # total = sum of bottom
assert np.allclose(coherent[1], coherent[3:5].sum(axis=0))  # A = A1 + A2
'''

ARTICLE = {
    "slug": "hierarchical-forecast-reconciliation",
    "title": "Hierarchical Forecast Reconciliation: Making the Numbers Add Up",
    "date": "2023-11-06",
    "reviewed_days_ago": None,
    "summary": (
        "Why independently produced store, region and total forecasts never agree, how bottom-up, "
        "top-down and MinT reconciliation fix it, and what changes when the hierarchy has tens of "
        "thousands of series instead of a textbook handful."
    ),
    "search_description": (
        "Hierarchical forecast reconciliation in practice: bottom-up, top-down, MinT and "
        "structural scaling, with NumPy code and lessons from large retail hierarchies."
    ),
    "body": [
        {
            "type": "heading",
            "value": {"text": "Forecasts that don't add up", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>In any retail or supply-chain business, forecasts live at several levels at once. "
                "Replenishment needs store, SKU and day. The category manager wants category by region by "
                "week. Finance wants total revenue by month. If each level is forecast independently, the "
                "numbers will not add up. The store forecasts for a region will sum to 4% more than the regional forecast, and "
                "someone will spend a Monday morning in a meeting arguing about which one is right.</p>"
                "<p>Making forecasts agree across a hierarchy is called <b>reconciliation</b>, and forecasts "
                "that agree are called <b>coherent</b>. This is not cosmetic: the distribution centre orders "
                "for one number, the stores for another, and the gap ends up as stock in the wrong place.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "The classic approaches", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>The three traditional methods each pick one level to trust and discard what the "
                "others know.</p>"
                "<ul>"
                "<li><b>Bottom-up:</b> forecast the lowest level and sum. Coherent by construction and keeps "
                "all the detail, but bottom-level series are noisy and intermittent, so the aggregates "
                "inherit that noise and often miss seasonality that is obvious at the top.</li>"
                "<li><b>Top-down:</b> forecast the total and split it using historical or forecast "
                "proportions. The total is usually good; the split is usually poor, because proportions "
                "shift with promotions, new listings and local events.</li>"
                "<li><b>Middle-out:</b> forecast an intermediate level such as category by store, sum "
                "upwards and split downwards. A pragmatic compromise, and in my experience what most "
                "production systems actually run, often without anyone having decided it deliberately.</li>"
                "</ul>"
                "<p>At a supply-chain software vendor I once found all three in the same codebase, each "
                "added by a different team for a different consumer.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Reconciliation as a projection", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>The modern approach, from Rob Hyndman and colleagues, is to forecast every series "
                "in the hierarchy independently (the <i>base forecasts</i>) and then adjust all of them at "
                "once so they become coherent, changing each one as little as possible. Write the "
                "hierarchy as a summing matrix <code>S</code> that maps the <i>m</i> bottom-level series to "
                "all <i>n</i> series. Every coherent forecast is <code>S</code> times some vector of "
                "bottom-level values, so reconciliation comes down to choosing a matrix <code>G</code> that "
                "maps the <i>n</i> base forecasts to the bottom level: <code>y_tilde = S G y_hat</code>.</p>"
                "<p>Bottom-up and top-down are just particular choices of <code>G</code>. The interesting "
                "choice is the projection <code>G = (S' W^-1 S)^-1 S' W^-1</code>, where <code>W</code> is "
                "the covariance of the base forecast errors. With <code>W</code> as the identity you get "
                "OLS reconciliation. With <code>W</code> diagonal and proportional to the number of bottom "
                "series under each node you get <i>structural scaling</i>. With <code>W</code> estimated "
                "from in-sample residuals you get <b>MinT</b>, the minimum-trace reconciliation of "
                "Wickramasuriya, Athanasopoulos and Hyndman (2019), which minimises the total variance of "
                "the reconciled forecast errors.</p>"
                "<p>With a few dozen series you can estimate the full covariance. With thousands you cannot, "
                "so in practice you shrink the sample covariance toward its diagonal. Here is the whole "
                "thing in NumPy for a toy hierarchy:</p>"
            ),
        },
        {"type": "code", "value": {"language": "python", "source": _RECONCILE_CODE}},
        {
            "type": "paragraph",
            "value": (
                "<p>Keep the assertions in production code: every aggregate must equal the sum of its "
                "children. When that check fails, the hierarchy definition and the data have drifted "
                "apart, usually because a store moved region or a SKU moved category in only one of "
                "the two tables.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "What changes at scale", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>The toy version inverts an <i>n</i> by <i>n</i> matrix, which is fine for a few hundred "
                "series and hopeless for forty thousand SKUs across a couple of hundred stores. A few "
                "things make it workable:</p>"
                "<ul>"
                "<li><b>Keep <code>S</code> sparse and never invert <code>W</code>.</b> <code>S</code> is "
                "almost entirely zeros, and with a diagonal <code>W</code> the inverse is just reciprocals. "
                "<code>scipy.sparse</code> handles the rest.</li>"
                "<li><b>Reconcile subtrees separately.</b> Each category is its own small problem, which "
                "parallelises trivially; a final small step handles the few series above them.</li>"
                "<li><b>Default to a diagonal <code>W</code>.</b> Structural scaling, or WLS with residual "
                "variances, until a backtest shows that MinT with shrinkage beats it. Bottom-level "
                "covariances are estimated from short, intermittent histories; the gain is often smaller "
                "than the estimation noise.</li>"
                "<li><b>Don't write it yourself unless you must.</b> Nixtla's "
                '<a href="https://github.com/Nixtla/hierarchicalforecast">hierarchicalforecast</a> for '
                'Python and the <a href="https://fable.tidyverts.org/">fable</a> package for R both '
                "implement bottom-up, top-down and the MinT variants, including the shrinkage "
                "estimator.</li>"
                "</ul>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Pitfalls I keep running into", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p><b>Negative forecasts.</b> A linear projection does not know demand cannot be "
                "negative, so slow movers can come out slightly below zero. You can clip and accept a little incoherence at the bottom, or use a constrained "
                "non-negative variant, which is slower. For replenishment I usually clip, because the "
                "ordering logic downstream rounds to pack sizes anyway.</p>"
                "<p><b>Quantiles do not add.</b> The sum of "
                "store-level 95th percentiles is not the regional 95th percentile. If safety stock is set "
                "from quantiles, reconcile the means, or sample paths if you have them, and derive "
                "quantiles at each level from there.</p>"
                "<p><b>Evaluate every level.</b> Reconciliation usually improves the upper levels a lot and "
                "the bottom level a little, and occasionally makes the bottom slightly worse. Measure error "
                "at every level that has a consumer, in a rolling-origin backtest (see "
                '<a linktype="page" id="slug:backtesting-forecasts-properly">Backtesting Forecasts '
                "Properly</a>).</p>"
                "<p><b>Time is a hierarchy too.</b> Daily forecasts should sum to weekly ones, and the same "
                "machinery reconciles them.</p>"
            ),
        },
        {
            "type": "callout",
            "value": {
                "kind": "note",
                "text": (
                    "<p>Reconciliation rarely turns a weak model into a good one. What it does reliably is "
                    "end the argument about whose number is right, and it usually gives a few points of "
                    "accuracy at the aggregate levels for free. Both are worth having.</p>"
                ),
            },
        },
        {"type": "heading", "value": {"text": "Where to start", "level": "h2", "anchor": ""}},
        {
            "type": "paragraph",
            "value": (
                "<p>If you have independent forecasts at several levels today, start with structural "
                "scaling, <code>W = diag(S 1)</code>. It needs no residuals, it is a cheap sparse "
                "computation, and it usually beats whatever bottom-up or top-down "
                "scheme is running now. Backtest it at every level, and move to MinT with shrinkage "
                "only if the backtest says the extra machinery pays for itself.</p>"
            ),
        },
    ],
}
