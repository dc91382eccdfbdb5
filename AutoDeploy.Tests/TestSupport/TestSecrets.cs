using AutoDeploy.Web.Secrets;
using Microsoft.AspNetCore.DataProtection;

namespace AutoDeploy.Tests.TestSupport;

/// <summary>A <see cref="SecretProtector"/> with keys in memory, for services built without the app.</summary>
public static class TestSecrets
{
    public static readonly SecretProtector Protector = new(new EphemeralDataProtectionProvider());
}
