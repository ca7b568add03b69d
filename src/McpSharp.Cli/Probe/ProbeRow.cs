namespace McpSharp.Cli.Probe;

/// <summary>How strong a rule is: a MUST failure fails the audit; SHOULD and SDK practice are reported only.</summary>
internal enum RuleLevel
{
    Must,
    Should,
    Practice,
}

/// <summary>What the audit found for one rule.</summary>
internal enum Verdict
{
    Pass,
    Fail,
    Skip,
}

/// <summary>One line of the audit: the requirement id, the rule in a few words, what the server answered, the verdict.</summary>
internal sealed record ProbeRow(string Id, RuleLevel Level, string Rule, string Expected, string Answered, Verdict Verdict);
