using AutoDeploy.Domain.Environments;
using AutoDeploy.Web.Components.Shared;

namespace AutoDeploy.Tests.Components;

public sealed class FieldMessagesTests
{
    private readonly EnvironmentInput _input = new() { Name = "Production" };
    private readonly FieldMessages<EnvironmentInput> _messages;

    public FieldMessagesTests() => _messages = new(new EnvironmentInputValidator(), () => _input);

    [Fact]
    public void Of_a_field_is_the_validators_message_for_its_value_now()
    {
        _input.Name = "";

        Assert.Equal(["Name is required."], _messages.Of(nameof(EnvironmentInput.Name)));
    }

    [Fact]
    public void A_refused_field_shows_the_services_message_while_it_holds_the_value_it_judged()
    {
        _messages.Refused(new Dictionary<string, string[]> { ["Name"] = ["An environment named 'Production' already exists."] });

        var judged = _messages.Of(nameof(EnvironmentInput.Name));
        _input.Name = "Staging";
        var changed = _messages.Of(nameof(EnvironmentInput.Name));

        Assert.Equal(["An environment named 'Production' already exists."], judged);
        Assert.Empty(changed);
    }

    [Fact]
    public async Task Validation_for_a_MudForm_field_adds_the_refusal_to_the_validators_messages()
    {
        _messages.Refused(new Dictionary<string, string[]> { ["Name"] = ["taken"] });

        var messages = await _messages.Validation(_input, nameof(EnvironmentInput.Name));

        Assert.Equal(["taken"], messages);
    }

    [Fact]
    public void Refused_null_forgets_the_last_refusal_and_IsValid_checks_the_whole_input()
    {
        _messages.Refused(new Dictionary<string, string[]> { ["Name"] = ["taken"] });
        _messages.Refused(null);

        Assert.Equal((false, true), (_messages.WasRefused(nameof(EnvironmentInput.Name)), _messages.IsValid()));
    }
}
