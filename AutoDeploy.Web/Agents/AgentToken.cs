using System.Security.Cryptography;
using System.Text;

namespace AutoDeploy.Web.Agents;

/// <summary>An agent's token: random, given to the agent once at registration, stored only as its SHA-256.</summary>
public static class AgentToken
{
    public static string Generate() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
