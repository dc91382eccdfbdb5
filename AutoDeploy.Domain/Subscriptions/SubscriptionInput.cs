namespace AutoDeploy.Domain.Subscriptions;

/// <summary>What an administrator fills in for a subscription (the form and the API). Empty lists mean all.</summary>
public sealed class SubscriptionInput
{
    public string Name { get; set; } = "";
    public string Url { get; set; } = "";
    public List<string> EventGroups { get; set; } = [];
    public List<string> EventCategories { get; set; } = [];
    public List<int> ProjectIds { get; set; } = [];
    public List<int> EnvironmentIds { get; set; } = [];
}
