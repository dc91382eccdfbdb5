using System.Security.Cryptography;
using System.Text;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Subscriptions;

namespace AutoDeploy.Tests.Subscriptions;

/// <summary>The pure rules of subscriptions: validation, matching, the signature, the back-off.</summary>
public sealed class SubscriptionRulesTests
{
    private readonly SubscriptionInputValidator _validator = new();

    [Theory]
    [InlineData("https://chat.example.com/hooks/deploys", true)]
    [InlineData("http://127.0.0.1:8080/hook", true)]
    [InlineData("ftp://example.com/hook", false)]
    [InlineData("/hooks/deploys", false)]
    [InlineData("https://", false)]
    [InlineData("", false)]
    public void The_url_must_be_an_absolute_http_or_https_address(string url, bool valid)
    {
        var result = _validator.Validate(new SubscriptionInput { Name = "chat", Url = url });

        Assert.Equal(valid, result.IsValid);
    }

    [Fact]
    public void Names_urls_and_lists_are_bounded_and_categories_and_groups_must_be_known()
    {
        var result = _validator.Validate(new SubscriptionInput
        {
            Name = new string('n', 201), Url = "https://example.com/" + new string('a', 2000),
            EventGroups = ["Machine", "Nope"], EventCategories = ["Created", "Exploded"], ProjectIds = Enumerable.Range(1, 101).ToList(),
        });

        Assert.Equal(["EventCategories", "EventGroups", "Name", "ProjectIds", "Url"], result.Errors.Select(e => e.PropertyName).Distinct().Order());
        Assert.Contains(result.Errors, e => e.ErrorMessage.Contains("'Nope'"));
        Assert.Contains(result.Errors, e => e.ErrorMessage.Contains("'Exploded'"));
    }

    [Fact]
    public void A_subscription_matches_its_categories_groups_projects_and_environments_and_empty_means_all()
    {
        var all = Subscription.Create(new SubscriptionInput { Name = "all", Url = "https://x.test/" }, "p", "h", DateTimeOffset.UnixEpoch);
        var critical = Subscription.Create(new SubscriptionInput
        {
            Name = "critical", Url = "https://x.test/", EventGroups = [EventGroups.MachineCritical], EventCategories = [EventCategories.AutoDeployBlocked],
            EnvironmentIds = [7],
        }, "p", "h", DateTimeOffset.UnixEpoch);

        Assert.True(all.Matches(Event(EventCategories.Created)));
        Assert.True(critical.Matches(Event(EventCategories.MachineUnavailable, environmentId: 7)));
        Assert.True(critical.Matches(Event(EventCategories.AutoDeployBlocked, environmentId: 7)));
        Assert.False(critical.Matches(Event(EventCategories.MachineHealthy, environmentId: 7)));
        Assert.False(critical.Matches(Event(EventCategories.MachineUnavailable, environmentId: 8)));
        Assert.False(critical.Matches(Event(EventCategories.MachineUnavailable)));
    }

    [Fact]
    public void The_signature_is_the_hmac_sha256_of_timestamp_dot_body_and_verifies_only_with_the_secret_and_body()
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":42}");
        var at = DateTimeOffset.FromUnixTimeSeconds(1_764_000_000);

        var header = WebhookSignature.Sign("whsec_abc", at, body);

        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("whsec_abc"), Encoding.UTF8.GetBytes("1764000000.{\"id\":42}")));
        Assert.Equal($"t=1764000000,v1={expected}", header);
        Assert.True(WebhookSignature.Verify("whsec_abc", header, body));
        Assert.False(WebhookSignature.Verify("whsec_abd", header, body));
        Assert.False(WebhookSignature.Verify("whsec_abc", header, Encoding.UTF8.GetBytes("{\"id\":43}")));
        Assert.False(WebhookSignature.Verify("whsec_abc", header.Replace("t=1764000000", "t=1764000001"), body));
    }

    [Fact]
    public void The_back_off_doubles_up_to_its_longest_and_pausing_comes_after_the_configured_time()
    {
        var backoff = new DeliveryBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
        var since = DateTimeOffset.UnixEpoch;

        Assert.Equal([10, 20, 40, 60, 60], new[] { 1, 2, 3, 4, 50 }.Select(n => backoff.After(n).TotalSeconds));
        Assert.False(backoff.ShouldPause(since, since.AddMinutes(59)));
        Assert.True(backoff.ShouldPause(since, since.AddHours(1)));
    }

    private static Event Event(string category, int? environmentId = null) =>
        new() { Category = category, Actor = "system", Message = "m", EnvironmentId = environmentId };
}
