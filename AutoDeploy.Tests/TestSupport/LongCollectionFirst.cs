using Xunit.Abstractions;

[assembly: TestCollectionOrderer("AutoDeploy.Tests.TestSupport.LongCollectionFirst", "AutoDeploy.Tests")]

namespace AutoDeploy.Tests.TestSupport;

/// <summary>
/// Starts the "postgres" collection first. Its tests share one server, so they run one after another (about three
/// minutes in all); started last, as the default order had it, they were the run's last minutes with one test running.
/// The other collections keep the default order.
/// </summary>
public sealed class LongCollectionFirst : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => c.DisplayName == "postgres" ? 0 : 1);
}
