using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace AutoDeploy.Web.Services;

/// <summary>An agent's token: 32 random bytes as base64url; the server keeps only its SHA-256.</summary>
public static class AgentToken
{
    public static string Generate() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Tokens are long and random, so one SHA-256 is enough (unlike passwords).</summary>
    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
