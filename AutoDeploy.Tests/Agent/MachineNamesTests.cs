using AutoDeploy.Agent;

namespace AutoDeploy.Tests.Agent;

public sealed class MachineNamesTests
{
    [Fact]
    public void Without_a_suffix_the_name_is_the_base_name()
    {
        Assert.Equal(("web-01", null), MachineNames.Compose(" web-01 ", null, () => throw new InvalidOperationException("not read")));
    }

    [Fact]
    public void The_default_name_is_the_host_name_in_lower_case()
    {
        Assert.Equal(Environment.MachineName.ToLowerInvariant(), MachineNames.HostName());
    }

    [Fact]
    public void A_random_suffix_is_six_lower_case_letters_or_digits_and_differs_between_clones()
    {
        var names = Enumerable.Range(0, 20).Select(_ => MachineNames.Compose("web", "random", () => null).Name!).ToList();

        Assert.All(names, n => Assert.Matches("^web-[a-z0-9]{6}$", n));
        Assert.True(names.Distinct().Count() > 1);
    }

    [Fact]
    public void The_instance_id_suffix_is_the_trimmed_instance_id()
    {
        Assert.Equal(("web-i-0abc", null), MachineNames.Compose("web", "instance-id", () => " i-0abc\n"));
    }

    [Fact]
    public void A_long_base_name_is_cut_so_that_the_name_with_its_suffix_fits_200_characters()
    {
        var (name, _) = MachineNames.Compose(new string('w', 200), "instance-id", () => "i-0123456789abcdef0");

        Assert.Equal(200, name!.Length);
        Assert.EndsWith("w-i-0123456789abcdef0", name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  \n")]
    public void No_instance_id_is_an_error_that_names_the_file_and_the_alternative(string? instanceId)
    {
        var (name, error) = MachineNames.Compose("web", "instance-id", () => instanceId);

        Assert.Null(name);
        Assert.Contains("needs the machine's instance id", error);
        Assert.Contains("--name-suffix random", error);
    }

    [Fact]
    public void An_unknown_suffix_kind_is_an_error_naming_the_two_kinds()
    {
        Assert.Equal((null, "--name-suffix must be 'instance-id' or 'random' (not 'uuid')."), MachineNames.Compose("web", "uuid", () => null));
    }
}
