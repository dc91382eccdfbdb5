using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Projects;

namespace AutoDeploy.Tests.Deployments;

public sealed class LogMaskTests
{
    private const string Pem = """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7o4qne60TB3wo
        pXmRk7XcLzwZ1V1dcUYq8TQgA9ThbhfRgXNuD1PMhVKH0yb6EDHkzoZq7aE3kPf2
        }
        -----END PRIVATE KEY-----
        """;

    private static readonly string[] PemLines = Pem.Split('\n');

    [Fact]
    public void Every_line_of_a_multi_line_secret_is_masked_on_its_own()
    {
        var mask = new LogMask([Pem]);

        var masked = PemLines.Select(mask.Apply).ToList();

        Assert.Equal([ProjectVariable.Mask, ProjectVariable.Mask, ProjectVariable.Mask, "}", ProjectVariable.Mask], masked);
    }

    [Fact]
    public void A_line_of_a_secret_is_masked_inside_other_text_and_with_the_carriage_return_of_CRLF_files()
    {
        var mask = new LogMask([Pem.ReplaceLineEndings("\r\n")]);

        var masked = mask.Apply($"key: {PemLines[1]} (from file)");

        Assert.Equal($"key: {ProjectVariable.Mask} (from file)", masked);
    }

    [Fact]
    public void Lines_of_a_multi_line_secret_shorter_than_the_minimum_are_not_masked_everywhere()
    {
        var mask = new LogMask(["[db]\nfi\npassword=hunter2-long"]);

        Assert.Equal(("fi", "[db] ok", ProjectVariable.Mask), (mask.Apply("fi"), mask.Apply("[db] ok"), mask.Apply("password=hunter2-long")));
    }

    [Fact]
    public void A_single_line_secret_is_masked_whatever_its_length()
    {
        Assert.Equal($"pin {ProjectVariable.Mask}", new LogMask(["42"]).Apply("pin 42"));
    }

    [Fact]
    public void A_cut_line_loses_the_start_of_a_secret_that_the_cut_split()
    {
        const string secret = "tok3n-9f2c1d7e5b";
        var cut = new string('a', 100) + secret[..7] + TaskLogLine.TruncatedMarker;

        var masked = new LogMask([secret]).Apply(cut);

        Assert.Equal(new string('a', 100) + ProjectVariable.Mask + TaskLogLine.TruncatedMarker, masked);
    }

    [Fact]
    public void A_cut_line_loses_the_start_of_a_line_of_a_multi_line_secret()
    {
        var cut = "x" + PemLines[2][..30] + TaskLogLine.TruncatedMarker;

        var masked = new LogMask([Pem]).Apply(cut);

        Assert.Equal("x" + ProjectVariable.Mask + TaskLogLine.TruncatedMarker, masked);
    }

    [Fact]
    public void A_whole_line_ending_like_the_start_of_a_secret_is_left_alone()
    {
        Assert.Equal("value: tok3n", new LogMask(["tok3n-9f2c1d7e5b"]).Apply("value: tok3n"));
    }

    [Fact]
    public void Without_sensitive_values_a_line_is_unchanged()
    {
        Assert.Equal("hello" + TaskLogLine.TruncatedMarker, new LogMask([]).Apply("hello" + TaskLogLine.TruncatedMarker));
    }
}
