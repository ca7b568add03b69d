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
internal sealed record ProbeRow(string Id, RuleLevel Level, string Rule, string Expected, string Answered, Verdict Verdict)
{
    /// <summary>A rule met when the server answers <paramref name="status"/>.</summary>
    public static ProbeRow Expect(string id, RuleLevel level, string rule, int status, ProbeAnswer answer) =>
        Check(id, level, rule, status.ToString(System.Globalization.CultureInfo.InvariantCulture), answer, answer.Status == status);

    /// <summary>A rule met when <paramref name="passed"/>, with what the server answered.</summary>
    public static ProbeRow Check(string id, RuleLevel level, string rule, string expected, ProbeAnswer answer, bool passed) =>
        new(id, level, rule, expected, answer.Summary, passed ? Verdict.Pass : Verdict.Fail);
}
