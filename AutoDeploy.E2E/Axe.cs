using Microsoft.Playwright;

namespace AutoDeploy.E2E;

/// <summary>
/// axe-core, the npm package's <c>axe.min.js</c> (as shipped inside Deque.AxeCore.Commons), loaded into every page of a
/// browser context and run in the page. Only violations cross back to .NET: asking axe for its passes as well, as
/// Deque's Playwright binding does, costs seconds per page in serialising results nobody reads.
/// </summary>
public static class Axe
{
    private static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    private static readonly Lazy<string> Source = new(() =>
    {
        var assembly = typeof(Deque.AxeCore.Commons.AxeResult).Assembly;
        using var stream = assembly.GetManifestResourceStream("Deque.AxeCore.Commons.Resources.axe.min.js")
            ?? throw new InvalidOperationException("axe.min.js is not inside Deque.AxeCore.Commons any more.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>From now on every document the context opens has <c>window.axe</c>.</summary>
    public static Task LoadIntoAsync(IBrowserContext context) => context.AddInitScriptAsync(Source.Value);

    /// <summary>The WCAG 2.0/2.1 A and AA violations of serious or critical impact, one line per element.</summary>
    public static Task<string[]> SeriousViolationsAsync(IPage page) => page.EvaluateAsync<string[]>("""
        async tags => {
            const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
            return result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .flatMap(v => v.nodes.map(n => `${v.id} (${v.impact}) ${n.target.join(' ')} ` +
                    [...n.any, ...n.all, ...n.none].map(c => c.message).join('; ')));
        }
        """, Tags);
}
