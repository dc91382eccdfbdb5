namespace AutoDeploy.Agent;

/// <summary>What a registration is made with: an enrolment token (what machines should use) or an administrator's API key.</summary>
public sealed record RegistrationCredential(string Header, string Value)
{
    public bool IsEnrolmentToken => Header == EnrolmentTokenHeader;

    private const string EnrolmentTokenHeader = "X-Enrolment-Token";

    public static RegistrationCredential Token(string secret) => new(EnrolmentTokenHeader, secret);

    public static RegistrationCredential ApiKey(string key) => new("X-Api-Key", key);

    /// <summary>Never the secret itself, should one end up in a log.</summary>
    public override string ToString() => $"{Header}: (hidden)";
}
