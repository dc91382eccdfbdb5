namespace AutoDeploy.Domain.Enrolment;

/// <summary>What an administrator fills in to create an enrolment token (the form and the API).</summary>
public sealed class EnrolmentTokenInput
{
    public string Name { get; set; } = "";
    public List<int> EnvironmentIds { get; set; } = [];
    public List<string> Roles { get; set; } = [];
    public List<int> PolicyIds { get; set; } = [];

    /// <summary>How long from its creation the token works.</summary>
    public TimeSpan ValidFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How many machines may register with it; null: any number until it expires.</summary>
    public int? MaxUses { get; set; }
}
