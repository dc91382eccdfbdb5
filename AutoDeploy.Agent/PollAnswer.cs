using AutoDeploy.Domain.Agents;

namespace AutoDeploy.Agent;

/// <summary>What a poll brought: a job, or none; and the version to update to, if the server says so now.</summary>
public sealed record PollAnswer(AgentJob? Job, string? UpdateTo);
