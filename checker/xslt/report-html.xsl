<?xml version="1.0" encoding="UTF-8"?>
<!--
  report-html.xsl — turns tekigo's XML report (docs/report.xsd) into one
  self-contained HTML page for the people who receive it (municipal staff,
  vendors): the verdict first, in words and colour; then counts per file and per
  rule, inline SVG bar charts (findings by rule, by file, by item), the coverage
  matrix when there is one, and every listed finding with its place.

  XSLT 1.0 with exsl:node-set only (for the label table). Inline CSS, no script,
  no external asset: the page works offline and prints on A4. Embedded in the
  tekigo binary at build time (checker/xslt/embed.cmake). Parameter: lang = 'ja'
  (default) or 'en'; both label sets are in the table below.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:exsl="http://exslt.org/common"
    extension-element-prefixes="exsl"
    exclude-result-prefixes="exsl">

  <xsl:output method="html" encoding="UTF-8" indent="no"/>
  <xsl:param name="lang" select="'ja'"/>

  <!-- ===== Labels: one row per text, Japanese and English ===== -->
  <xsl:variable name="labels-rtf">
    <l k="report" ja="適合性検査レポート" en="Conformance report"/>
    <l k="verdict" ja="判定" en="Verdict"/>
    <l k="v-conformant" ja="適合" en="Conformant"/>
    <l k="v-nonconformant" ja="不適合" en="Not conformant"/>
    <l k="v-incomplete" ja="判定不能" en="Incomplete"/>
    <l k="x-conformant" ja="エラーはありません。このデータは、プロファイルの基準に適合しています。" en="No errors: the data conforms to the profile."/>
    <l k="x-nonconformant" ja="基準に適合しない箇所（エラー）があります。下の「所見の一覧」で場所を確かめて、データを修正してください。" en="Some data does not conform (errors). See the list of findings below for where, and correct the data."/>
    <l k="x-incomplete" ja="読み込めないファイルがあるため、判定できません。ファイルの場所と読み取りの権限を確かめて、もう一度検査してください。" en="A file could not be read, so no verdict can be given. Check the file's location and permissions, then check again."/>
    <l k="x-warnings" ja="警告と情報は判定に影響しませんが、確認をお勧めします。" en="Warnings and infos do not change the verdict, but are worth a look."/>
    <l k="profile" ja="プロファイル" en="Profile"/>
    <l k="as-of" ja="基準日" en="As of"/>
    <l k="tool" ja="検査ツール" en="Checked with"/>
    <l k="files-checked" ja="検査したファイル" en="Files checked"/>
    <l k="records" ja="レコード数" en="Records"/>
    <l k="errors" ja="エラー" en="Errors"/>
    <l k="warnings" ja="警告" en="Warnings"/>
    <l k="infos" ja="情報" en="Infos"/>
    <l k="count-unit" ja="件" en=""/>
    <l k="file-unit" ja="個" en=""/>
    <l k="contents" ja="目次" en="Contents"/>
    <l k="charts" ja="グラフ" en="Charts"/>
    <l k="by-rule" ja="規則ごとの件数" en="Findings by rule"/>
    <l k="by-file" ja="ファイルごとの件数" en="Findings by file"/>
    <l k="by-item" ja="項目ごとの件数（上位 20 項目）" en="Findings by item (top 20)"/>
    <l k="coverage" ja="機能・帳票の適合確認" en="Function and form coverage"/>
    <l k="findings" ja="所見の一覧" en="List of findings"/>
    <l k="about" ja="このレポートについて" en="About this report"/>
    <l k="file" ja="ファイル" en="File"/>
    <l k="group" ja="グループ" en="Group"/>
    <l k="total" ja="合計" en="Total"/>
    <l k="rule" ja="規則" en="Rule"/>
    <l k="title" ja="内容" en="What it checks"/>
    <l k="severity" ja="重大度" en="Severity"/>
    <l k="count" ja="件数" en="Count"/>
    <l k="sev-error" ja="エラー" en="error"/>
    <l k="sev-warning" ja="警告" en="warning"/>
    <l k="sev-info" ja="情報" en="info"/>
    <l k="line" ja="行" en="Line"/>
    <l k="record" ja="レコード" en="Record"/>
    <l k="field" ja="列" en="Field"/>
    <l k="item" ja="項目" en="Item"/>
    <l k="message" ja="内容" en="Message"/>
    <l k="value" ja="値" en="Value"/>
    <l k="header-row" ja="見出し行" en="header"/>
    <l k="empty" ja="（空）" en="(empty)"/>
    <l k="package" ja="パッケージ全体" en="Whole package"/>
    <l k="no-findings" ja="所見はありません。" en="No findings."/>
    <l k="not-read" ja="読み込めません" en="not readable"/>
    <l k="at-least" ja="以上" en="or more"/>
    <l k="places-help" ja="「行」はファイルの何行目か、「レコード」は見出し行を除いて何件目のデータか、「列」は左から何番目の項目かを示します。" en="Line: the line of the file. Record: the data record, not counting the header row. Field: the position of the item from the left."/>
    <l k="chart-note-listed" ja="グラフと表の件数は、一覧に載せていない所見も含めたすべての所見の件数です。" en="The charts and tables count every finding, listed or not."/>
    <l k="left-out" ja="件の所見は数えましたが、一覧には載せていません（規則ごとに最初の " en=" findings are counted but not listed (the first "/>
    <l k="left-out-2" ja=" 件まで）。" en=" per rule are listed)."/>
    <l k="masked" ja="個人情報の値は伏せ字で表示しています（個人番号はすべて、その他の個人情報は先頭の1文字以外を「*」にしています）。" en="Personal values are masked (a My Number entirely, other personal items after their first character)."/>
    <l k="sha-note" ja="SHA-256 は、検査したファイルそのものを特定するための値です。同じファイルからは必ず同じ値になります。" en="The SHA-256 identifies the exact file checked: the same file always gives the same value."/>
    <l k="fidelity" ja="プロファイルの忠実度" en="Profile fidelity"/>
    <l k="f-modelled" ja="モデル化したもの（公式資料の転記ではありません）" en="modelled, not a transcription of the official material"/>
    <l k="f-official-transcription" ja="公式資料の転記" en="transcribed from the official material"/>
    <l k="cov-id" ja="ID" en="ID"/>
    <l k="cov-kind" ja="種別" en="Kind"/>
    <l k="cov-name" ja="名称" en="Name"/>
    <l k="cov-category" ja="区分" en="Category"/>
    <l k="cov-declared" ja="実装の申告" en="Declared"/>
    <l k="k-function" ja="機能" en="function"/>
    <l k="k-form" ja="帳票" en="form"/>
    <l k="c-required" ja="必須" en="required"/>
    <l k="c-optional" ja="標準オプション" en="optional"/>
    <l k="c-forbidden" ja="実装不可" en="forbidden"/>
    <l k="c-unknown" ja="標準にない" en="not in the standard"/>
    <l k="d-true" ja="実装" en="yes"/>
    <l k="d-false" ja="未実装" en="no"/>
    <l k="d-none" ja="申告なし" en="not declared"/>
    <l k="cv-ok" ja="適合" en="ok"/>
    <l k="cv-missing" ja="必須機能の未実装" en="required, missing"/>
    <l k="cv-forbidden" ja="実装不可の機能を実装" en="forbidden, implemented"/>
    <l k="cv-unknown" ja="標準にないID" en="unknown ID"/>
    <l k="cv-other-version" ja="別の版のID" en="ID of another version"/>
  </xsl:variable>
  <xsl:variable name="L-rtf">
    <xsl:for-each select="exsl:node-set($labels-rtf)/l">
      <l k="{@k}">
        <xsl:choose>
          <xsl:when test="$lang = 'en'"><xsl:value-of select="@en"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="@ja"/></xsl:otherwise>
        </xsl:choose>
      </l>
    </xsl:for-each>
  </xsl:variable>
  <xsl:variable name="L" select="exsl:node-set($L-rtf)/l"/>

  <xsl:key name="by-input" match="finding" use="string(@input)"/>
  <xsl:key name="rule" match="summary/rule" use="@id"/>

  <!-- ===== Page ===== -->
  <xsl:template match="/tekigo-report">
    <xsl:variable name="verdict" select="string(verdict)"/>
    <html lang="{$lang}">
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>
          <xsl:value-of select="$L[@k=concat('v-', $verdict)]"/> — <xsl:value-of select="$L[@k='report']"/>
          <xsl:text> — </xsl:text><xsl:value-of select="profile/@id"/>
        </title>
        <style><xsl:call-template name="css"/></style>
      </head>
      <body>
        <header class="top">
          <div class="kicker">tekigo — <xsl:value-of select="$L[@k='report']"/></div>
          <h1><xsl:call-template name="profile-title"/></h1>
          <div class="meta">
            <span><xsl:value-of select="$L[@k='profile']"/>: <b><xsl:value-of select="concat(profile/@id, '@', profile/@version)"/></b></span>
            <span><xsl:value-of select="$L[@k='as-of']"/>: <b><xsl:value-of select="as-of"/></b></span>
            <span><xsl:value-of select="$L[@k='tool']"/>: <b>tekigo <xsl:value-of select="tool/@version"/></b></span>
          </div>
        </header>

        <section class="verdict v-{$verdict}" aria-label="{$L[@k='verdict']}">
          <div class="verdict-mark" aria-hidden="true"><xsl:call-template name="verdict-icon"><xsl:with-param name="v" select="$verdict"/></xsl:call-template></div>
          <div>
            <div class="verdict-label"><xsl:value-of select="$L[@k='verdict']"/></div>
            <div class="verdict-word"><xsl:value-of select="$L[@k=concat('v-', $verdict)]"/></div>
            <p class="verdict-text">
              <xsl:value-of select="$L[@k=concat('x-', $verdict)]"/>
              <xsl:if test="summary/@warnings + summary/@infos &gt; 0">
                <xsl:text> </xsl:text><xsl:value-of select="$L[@k='x-warnings']"/>
              </xsl:if>
            </p>
          </div>
        </section>

        <section class="cards">
          <xsl:call-template name="card"><xsl:with-param name="k" select="'files-checked'"/><xsl:with-param name="n" select="count(inputs/input)"/><xsl:with-param name="unit" select="$L[@k='file-unit']"/></xsl:call-template>
          <xsl:call-template name="card"><xsl:with-param name="k" select="'records'"/><xsl:with-param name="n" select="sum(inputs/input/@records)"/></xsl:call-template>
          <xsl:call-template name="card"><xsl:with-param name="k" select="'errors'"/><xsl:with-param name="n" select="summary/@errors"/><xsl:with-param name="cls" select="'c-error'"/></xsl:call-template>
          <xsl:call-template name="card"><xsl:with-param name="k" select="'warnings'"/><xsl:with-param name="n" select="summary/@warnings"/><xsl:with-param name="cls" select="'c-warning'"/></xsl:call-template>
          <xsl:call-template name="card"><xsl:with-param name="k" select="'infos'"/><xsl:with-param name="n" select="summary/@infos"/><xsl:with-param name="cls" select="'c-info'"/></xsl:call-template>
        </section>

        <nav class="toc">
          <b><xsl:value-of select="$L[@k='contents']"/>:</b>
          <a href="#files"><xsl:value-of select="$L[@k='by-file']"/></a>
          <xsl:if test="summary/rule"><a href="#charts"><xsl:value-of select="$L[@k='charts']"/></a></xsl:if>
          <a href="#rules"><xsl:value-of select="$L[@k='by-rule']"/></a>
          <xsl:if test="coverage"><a href="#coverage"><xsl:value-of select="$L[@k='coverage']"/></a></xsl:if>
          <a href="#findings"><xsl:value-of select="$L[@k='findings']"/></a>
          <a href="#about"><xsl:value-of select="$L[@k='about']"/></a>
        </nav>

        <xsl:call-template name="files-table"/>
        <xsl:if test="summary/rule">
          <section id="charts">
            <h2><xsl:value-of select="$L[@k='charts']"/></h2>
            <div class="charts">
              <xsl:call-template name="chart-rules"/>
              <xsl:call-template name="chart-files"/>
              <xsl:call-template name="chart-items"/>
            </div>
            <p class="note"><xsl:value-of select="$L[@k='chart-note-listed']"/></p>
          </section>
        </xsl:if>
        <xsl:call-template name="rules-table"/>
        <xsl:apply-templates select="coverage"/>
        <xsl:call-template name="findings"/>
        <xsl:call-template name="about"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="profile-title">
    <xsl:choose>
      <xsl:when test="$lang = 'en' and profile/title[@lang='en'] != ''"><xsl:value-of select="profile/title[@lang='en']"/></xsl:when>
      <xsl:when test="profile/title[@lang='ja'] != ''"><xsl:value-of select="profile/title[@lang='ja']"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="profile/@id"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="verdict-icon">
    <xsl:param name="v"/>
    <svg width="64" height="64" viewBox="0 0 64 64" role="img">
      <circle cx="32" cy="32" r="30" fill="#ffffff" fill-opacity="0.18" stroke="#ffffff" stroke-width="3"/>
      <xsl:choose>
        <xsl:when test="$v = 'conformant'"><path d="M18 33 L28 43 L47 22" fill="none" stroke="#ffffff" stroke-width="6" stroke-linecap="round" stroke-linejoin="round"/></xsl:when>
        <xsl:when test="$v = 'nonconformant'"><path d="M21 21 L43 43 M43 21 L21 43" fill="none" stroke="#ffffff" stroke-width="6" stroke-linecap="round"/></xsl:when>
        <xsl:otherwise><text x="32" y="44" text-anchor="middle" font-size="34" font-weight="700" fill="#ffffff">?</text></xsl:otherwise>
      </xsl:choose>
    </svg>
  </xsl:template>

  <xsl:template name="card">
    <xsl:param name="k"/>
    <xsl:param name="n"/>
    <xsl:param name="cls" select="''"/>
    <xsl:param name="unit" select="$L[@k='count-unit']"/>
    <div class="card {$cls}">
      <xsl:if test="$cls != '' and $n = 0"><xsl:attribute name="class">card zero</xsl:attribute></xsl:if>
      <div class="card-n"><xsl:value-of select="format-number($n, '#,##0')"/><small><xsl:value-of select="$unit"/></small></div>
      <div class="card-k"><xsl:value-of select="$L[@k=$k]"/></div>
    </div>
  </xsl:template>

  <!-- A count, with "or more" when the real number may be higher. -->
  <xsl:template name="n">
    <xsl:param name="n"/>
    <xsl:param name="exact" select="true()"/>
    <xsl:value-of select="format-number($n, '#,##0')"/>
    <xsl:if test="not($exact)"><span class="atleast"><xsl:text> </xsl:text><xsl:value-of select="$L[@k='at-least']"/></span></xsl:if>
  </xsl:template>

  <xsl:template name="basename">
    <xsl:param name="p"/>
    <xsl:choose>
      <xsl:when test="contains($p, '/')"><xsl:call-template name="basename"><xsl:with-param name="p" select="substring-after($p, '/')"/></xsl:call-template></xsl:when>
      <xsl:otherwise><xsl:value-of select="$p"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="sev-badge">
    <xsl:param name="s"/>
    <span class="badge b-{$s}"><xsl:value-of select="$L[@k=concat('sev-', $s)]"/></span>
  </xsl:template>

  <xsl:template name="rule-title">
    <xsl:param name="id"/>
    <xsl:variable name="r" select="key('rule', $id)"/>
    <xsl:choose>
      <xsl:when test="$lang = 'en'"><xsl:value-of select="$r/title[@lang='en']"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$r/title[@lang='ja']"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== Tables ===== -->
  <xsl:template name="files-table">
    <section id="files">
      <h2><xsl:value-of select="$L[@k='by-file']"/></h2>
      <table class="grid">
        <thead><tr>
          <th><xsl:value-of select="$L[@k='file']"/></th>
          <th><xsl:value-of select="$L[@k='group']"/></th>
          <th class="num"><xsl:value-of select="$L[@k='records']"/></th>
          <th class="num"><xsl:value-of select="$L[@k='errors']"/></th>
          <th class="num"><xsl:value-of select="$L[@k='warnings']"/></th>
          <th class="num"><xsl:value-of select="$L[@k='infos']"/></th>
        </tr></thead>
        <tbody>
          <xsl:for-each select="inputs/input | inputs/package">
            <tr>
              <td>
                <xsl:choose>
                  <xsl:when test="self::package"><b><xsl:value-of select="$L[@k='package']"/></b></xsl:when>
                  <xsl:otherwise>
                    <b><xsl:call-template name="basename"><xsl:with-param name="p" select="@path"/></xsl:call-template></b>
                    <div class="path"><xsl:value-of select="@path"/></div>
                    <xsl:if test="@readable = 'false'"><div class="unreadable"><xsl:value-of select="$L[@k='not-read']"/></div></xsl:if>
                  </xsl:otherwise>
                </xsl:choose>
              </td>
              <td><xsl:value-of select="@group"/></td>
              <td class="num"><xsl:if test="@records"><xsl:value-of select="format-number(@records, '#,##0')"/></xsl:if></td>
              <xsl:call-template name="sev-cell"><xsl:with-param name="n" select="@listed-errors"/><xsl:with-param name="s" select="'error'"/></xsl:call-template>
              <xsl:call-template name="sev-cell"><xsl:with-param name="n" select="@listed-warnings"/><xsl:with-param name="s" select="'warning'"/></xsl:call-template>
              <xsl:call-template name="sev-cell"><xsl:with-param name="n" select="@listed-infos"/><xsl:with-param name="s" select="'info'"/></xsl:call-template>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
      <xsl:if test="inputs/*[@exact = 'false']"><p class="note"><xsl:value-of select="$L[@k='chart-note-listed']"/></p></xsl:if>
    </section>
  </xsl:template>

  <xsl:template name="sev-cell">
    <xsl:param name="n"/>
    <xsl:param name="s"/>
    <td class="num">
      <xsl:if test="$n &gt; 0"><xsl:attribute name="class">num t-<xsl:value-of select="$s"/></xsl:attribute></xsl:if>
      <xsl:call-template name="n"><xsl:with-param name="n" select="$n"/><xsl:with-param name="exact" select="not(rule-count[@exact='false'][key('rule', @rule)/@severity = $s])"/></xsl:call-template>
    </td>
  </xsl:template>

  <xsl:template name="rules-table">
    <section id="rules">
      <h2><xsl:value-of select="$L[@k='by-rule']"/></h2>
      <xsl:choose>
        <xsl:when test="not(summary/rule)"><p class="none"><xsl:value-of select="$L[@k='no-findings']"/></p></xsl:when>
        <xsl:otherwise>
          <table class="grid">
            <thead><tr>
              <th class="w-id"><xsl:value-of select="$L[@k='rule']"/></th>
              <th><xsl:value-of select="$L[@k='title']"/></th>
              <th class="w-sev"><xsl:value-of select="$L[@k='severity']"/></th>
              <th class="num w-n"><xsl:value-of select="$L[@k='count']"/></th>
            </tr></thead>
            <tbody>
              <xsl:for-each select="summary/rule">
                <xsl:sort select="@count" data-type="number" order="descending"/>
                <tr>
                  <td class="code"><xsl:value-of select="@id"/></td>
                  <td><xsl:call-template name="rule-title"><xsl:with-param name="id" select="@id"/></xsl:call-template></td>
                  <td><xsl:call-template name="sev-badge"><xsl:with-param name="s" select="@severity"/></xsl:call-template></td>
                  <td class="num"><xsl:value-of select="format-number(@count, '#,##0')"/></td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <!-- ===== Charts: horizontal bars in inline SVG ===== -->
  <xsl:variable name="bar-x" select="320"/>
  <xsl:variable name="bar-w" select="380"/>
  <xsl:variable name="chart-w" select="760"/>
  <xsl:variable name="row-h" select="28"/>

  <!-- One labelled bar of up to three segments (error, warning, info or a single colour). -->
  <xsl:template name="bar">
    <xsl:param name="i"/>
    <xsl:param name="label"/>
    <xsl:param name="full" select="$label"/>
    <xsl:param name="max"/>
    <xsl:param name="a"/>
    <xsl:param name="b" select="0"/>
    <xsl:param name="c" select="0"/>
    <xsl:param name="color-a" select="'#c62828'"/>
    <xsl:param name="more" select="false()"/>
    <xsl:variable name="y" select="($i - 1) * $row-h + 8"/>
    <xsl:variable name="wa" select="$a div $max * $bar-w"/>
    <xsl:variable name="wb" select="$b div $max * $bar-w"/>
    <xsl:variable name="wc" select="$c div $max * $bar-w"/>
    <g>
      <title><xsl:value-of select="concat($full, ': ', $a + $b + $c)"/></title>
      <text x="{$bar-x - 10}" y="{$y + 15}" text-anchor="end" class="lbl">
        <xsl:call-template name="fit"><xsl:with-param name="s" select="$label"/></xsl:call-template>
      </text>
      <rect x="{$bar-x}" y="{$y}" width="{$bar-w}" height="20" fill="#eef1f5"/>
      <xsl:if test="$a &gt; 0"><rect x="{$bar-x}" y="{$y}" width="{$wa}" height="20" fill="{$color-a}"/></xsl:if>
      <xsl:if test="$b &gt; 0"><rect x="{$bar-x + $wa}" y="{$y}" width="{$wb}" height="20" fill="#e08a00"/></xsl:if>
      <xsl:if test="$c &gt; 0"><rect x="{$bar-x + $wa + $wb}" y="{$y}" width="{$wc}" height="20" fill="#1e6fb8"/></xsl:if>
      <text x="{$bar-x + $bar-w + 8}" y="{$y + 15}" class="val">
        <xsl:value-of select="format-number($a + $b + $c, '#,##0')"/>
        <xsl:if test="$more">+</xsl:if>
      </text>
    </g>
  </xsl:template>

  <!-- A chart label cut to fit the label column: an ASCII character counts one
       unit, any other (Japanese) two; at most 44 units, then "…". -->
  <xsl:variable name="ascii"> !"#$%&amp;'()*+,-./0123456789:;&lt;=&gt;?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~</xsl:variable>
  <xsl:template name="fit">
    <xsl:param name="s"/>
    <xsl:param name="units" select="0"/>
    <xsl:variable name="c" select="substring($s, 1, 1)"/>
    <xsl:variable name="w" select="2 - number(contains($ascii, $c))"/>
    <xsl:choose>
      <xsl:when test="$s = ''"/>
      <xsl:when test="$units + $w &gt; 42 and string-length($s) &gt; 1">…</xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$c"/>
        <xsl:call-template name="fit">
          <xsl:with-param name="s" select="substring($s, 2)"/>
          <xsl:with-param name="units" select="$units + $w"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="chart-rules">
    <xsl:variable name="rules" select="summary/rule"/>
    <xsl:variable name="max">
      <xsl:for-each select="$rules"><xsl:sort select="@count" data-type="number" order="descending"/><xsl:if test="position() = 1"><xsl:value-of select="@count"/></xsl:if></xsl:for-each>
    </xsl:variable>
    <figure class="chart">
      <figcaption><xsl:value-of select="$L[@k='by-rule']"/></figcaption>
      <svg viewBox="0 0 {$chart-w} {count($rules) * $row-h + 12}" width="{$chart-w}" height="{count($rules) * $row-h + 12}" role="img" aria-label="{$L[@k='by-rule']}">
        <xsl:for-each select="$rules">
          <xsl:sort select="@count" data-type="number" order="descending"/>
          <xsl:variable name="t"><xsl:call-template name="rule-title"><xsl:with-param name="id" select="@id"/></xsl:call-template></xsl:variable>
          <xsl:call-template name="bar">
            <xsl:with-param name="i" select="position()"/>
            <xsl:with-param name="label" select="concat(@id, ' ', $t)"/>
            <xsl:with-param name="max" select="$max"/>
            <xsl:with-param name="a" select="@count"/>
            <xsl:with-param name="color-a">
              <xsl:choose>
                <xsl:when test="@severity = 'error'">#c62828</xsl:when>
                <xsl:when test="@severity = 'warning'">#e08a00</xsl:when>
                <xsl:otherwise>#1e6fb8</xsl:otherwise>
              </xsl:choose>
            </xsl:with-param>
          </xsl:call-template>
        </xsl:for-each>
      </svg>
      <xsl:call-template name="legend"/>
    </figure>
  </xsl:template>

  <xsl:template name="chart-files">
    <xsl:variable name="rows" select="inputs/input | inputs/package"/>
    <xsl:variable name="max">
      <xsl:for-each select="$rows"><xsl:sort select="@listed" data-type="number" order="descending"/><xsl:if test="position() = 1"><xsl:value-of select="@listed"/></xsl:if></xsl:for-each>
    </xsl:variable>
    <figure class="chart">
      <figcaption><xsl:value-of select="$L[@k='by-file']"/></figcaption>
      <svg viewBox="0 0 {$chart-w} {count($rows) * $row-h + 12}" width="{$chart-w}" height="{count($rows) * $row-h + 12}" role="img" aria-label="{$L[@k='by-file']}">
        <xsl:for-each select="$rows">
          <xsl:variable name="name">
            <xsl:choose>
              <xsl:when test="self::package"><xsl:value-of select="$L[@k='package']"/></xsl:when>
              <xsl:otherwise><xsl:call-template name="basename"><xsl:with-param name="p" select="@path"/></xsl:call-template></xsl:otherwise>
            </xsl:choose>
          </xsl:variable>
          <xsl:call-template name="bar">
            <xsl:with-param name="i" select="position()"/>
            <xsl:with-param name="label" select="$name"/>
            <xsl:with-param name="full" select="concat($name, ' ', @path)"/>
            <xsl:with-param name="max" select="$max + number($max = 0)"/>
            <xsl:with-param name="a" select="@listed-errors"/>
            <xsl:with-param name="b" select="@listed-warnings"/>
            <xsl:with-param name="c" select="@listed-infos"/>
            <xsl:with-param name="more" select="@exact = 'false'"/>
          </xsl:call-template>
        </xsl:for-each>
      </svg>
      <xsl:call-template name="legend"/>
    </figure>
  </xsl:template>

  <xsl:template name="chart-items">
    <!-- summary/item-count holds every finding per item (exact). -->
    <xsl:variable name="rows" select="summary/item-count"/>
    <xsl:if test="$rows">
      <xsl:variable name="max">
        <xsl:for-each select="$rows"><xsl:sort select="@errors + @warnings + @infos" data-type="number" order="descending"/><xsl:if test="position() = 1"><xsl:value-of select="@errors + @warnings + @infos"/></xsl:if></xsl:for-each>
      </xsl:variable>
      <xsl:variable name="n" select="count($rows[position() &lt;= 20])"/>
      <figure class="chart">
        <figcaption><xsl:value-of select="$L[@k='by-item']"/></figcaption>
        <svg viewBox="0 0 {$chart-w} {$n * $row-h + 12}" width="{$chart-w}" height="{$n * $row-h + 12}" role="img" aria-label="{$L[@k='by-item']}">
          <xsl:for-each select="$rows">
            <xsl:sort select="@errors + @warnings + @infos" data-type="number" order="descending"/>
            <xsl:sort select="@id"/>
            <xsl:if test="position() &lt;= 20">
              <xsl:call-template name="bar">
                <xsl:with-param name="i" select="position()"/>
                <xsl:with-param name="label" select="concat(@name, ' ', @id)"/>
                <xsl:with-param name="full" select="concat(@name, ' (', @id, ')')"/>
                <xsl:with-param name="max" select="$max"/>
                <xsl:with-param name="a" select="@errors"/>
                <xsl:with-param name="b" select="@warnings"/>
                <xsl:with-param name="c" select="@infos"/>
              </xsl:call-template>
            </xsl:if>
          </xsl:for-each>
        </svg>
        <xsl:call-template name="legend"/>
      </figure>
    </xsl:if>
  </xsl:template>

  <xsl:template name="legend">
    <div class="legend">
      <span><i class="sw s-error"></i><xsl:value-of select="$L[@k='errors']"/></span>
      <span><i class="sw s-warning"></i><xsl:value-of select="$L[@k='warnings']"/></span>
      <span><i class="sw s-info"></i><xsl:value-of select="$L[@k='infos']"/></span>
    </div>
  </xsl:template>

  <!-- ===== Coverage matrix ===== -->
  <xsl:template match="coverage">
    <section id="coverage">
      <h2><xsl:value-of select="$L[@k='coverage']"/></h2>
      <p class="cov-sum">
        <xsl:variable name="req" select="requirement"/>
        <xsl:for-each select="$L[starts-with(@k, 'cv-')]">
          <xsl:variable name="v" select="substring-after(@k, 'cv-')"/>
          <xsl:variable name="n" select="count($req[@verdict = $v])"/>
          <xsl:if test="$n &gt; 0">
            <span class="badge cv-{$v}"><xsl:value-of select="."/></span><b><xsl:value-of select="format-number($n, '#,##0')"/></b>
          </xsl:if>
        </xsl:for-each>
      </p>
      <table class="grid">
        <thead><tr>
          <th><xsl:value-of select="$L[@k='cov-id']"/></th>
          <th><xsl:value-of select="$L[@k='cov-kind']"/></th>
          <th><xsl:value-of select="$L[@k='cov-name']"/></th>
          <th><xsl:value-of select="$L[@k='cov-category']"/></th>
          <th><xsl:value-of select="$L[@k='cov-declared']"/></th>
          <th><xsl:value-of select="$L[@k='verdict']"/></th>
        </tr></thead>
        <tbody>
          <xsl:for-each select="requirement">
            <tr>
              <td class="code"><xsl:value-of select="@id"/></td>
              <td><xsl:value-of select="$L[@k=concat('k-', current()/@kind)]"/></td>
              <td><xsl:value-of select="."/></td>
              <td><xsl:value-of select="$L[@k=concat('c-', current()/@category)]"/></td>
              <td>
                <xsl:choose>
                  <xsl:when test="@declared"><xsl:value-of select="$L[@k=concat('d-', current()/@declared)]"/></xsl:when>
                  <xsl:otherwise><xsl:value-of select="$L[@k='d-none']"/></xsl:otherwise>
                </xsl:choose>
              </td>
              <td><span class="badge cv-{@verdict}"><xsl:value-of select="$L[@k=concat('cv-', current()/@verdict)]"/></span></td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </section>
  </xsl:template>

  <!-- ===== Findings, grouped by file ===== -->
  <xsl:template name="findings">
    <section id="findings">
      <h2><xsl:value-of select="$L[@k='findings']"/></h2>
      <xsl:choose>
        <xsl:when test="not(findings/finding)"><p class="none"><xsl:value-of select="$L[@k='no-findings']"/></p></xsl:when>
        <xsl:otherwise>
          <p class="help"><xsl:value-of select="$L[@k='places-help']"/></p>
          <xsl:for-each select="inputs/input[key('by-input', string(@n))]">
            <xsl:call-template name="finding-table">
              <xsl:with-param name="title"><xsl:call-template name="basename"><xsl:with-param name="p" select="@path"/></xsl:call-template></xsl:with-param>
              <xsl:with-param name="sub">
                <xsl:value-of select="@path"/>
                <xsl:if test="@group"><xsl:value-of select="concat(' — ', $L[@k='group'], ': ', @group)"/></xsl:if>
              </xsl:with-param>
              <xsl:with-param name="rows" select="key('by-input', string(@n))"/>
            </xsl:call-template>
          </xsl:for-each>
          <xsl:if test="findings/finding[not(@input)]">
            <xsl:call-template name="finding-table">
              <xsl:with-param name="title" select="$L[@k='package']"/>
              <xsl:with-param name="sub" select="''"/>
              <xsl:with-param name="rows" select="findings/finding[not(@input)]"/>
            </xsl:call-template>
          </xsl:if>
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <xsl:template name="finding-table">
    <xsl:param name="title"/>
    <xsl:param name="sub"/>
    <xsl:param name="rows"/>
    <div class="file-block">
      <h3><xsl:value-of select="$title"/>
        <span class="count"><xsl:value-of select="format-number(count($rows), '#,##0')"/><xsl:value-of select="$L[@k='count-unit']"/></span>
      </h3>
      <xsl:if test="$sub != ''"><div class="path"><xsl:value-of select="$sub"/></div></xsl:if>
      <table class="grid findings">
        <thead><tr>
          <th class="num"><xsl:value-of select="$L[@k='line']"/></th>
          <th class="num"><xsl:value-of select="$L[@k='record']"/></th>
          <th class="num"><xsl:value-of select="$L[@k='field']"/></th>
          <th><xsl:value-of select="$L[@k='item']"/></th>
          <th><xsl:value-of select="$L[@k='rule']"/></th>
          <th><xsl:value-of select="$L[@k='message']"/></th>
          <th><xsl:value-of select="$L[@k='value']"/></th>
        </tr></thead>
        <tbody>
          <xsl:for-each select="$rows">
            <tr class="r-{@severity}">
              <td class="num"><xsl:value-of select="@line"/></td>
              <td class="num">
                <xsl:choose>
                  <xsl:when test="@record = 0"><xsl:value-of select="$L[@k='header-row']"/></xsl:when>
                  <xsl:otherwise><xsl:value-of select="@record"/></xsl:otherwise>
                </xsl:choose>
              </td>
              <td class="num"><xsl:value-of select="@column"/></td>
              <td><xsl:value-of select="item"/><xsl:if test="@item-id"><div class="sub"><xsl:value-of select="@item-id"/></div></xsl:if></td>
              <td class="nowrap"><xsl:call-template name="sev-badge"><xsl:with-param name="s" select="@severity"/></xsl:call-template>
                <div class="sub code"><xsl:value-of select="@rule"/></div></td>
              <td><xsl:value-of select="message"/></td>
              <td>
                <xsl:choose>
                  <xsl:when test="value = ''"><span class="empty"><xsl:value-of select="$L[@k='empty']"/></span></xsl:when>
                  <xsl:when test="value"><code class="value"><xsl:value-of select="value"/></code></xsl:when>
                </xsl:choose>
              </td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </div>
  </xsl:template>

  <!-- ===== About: notes and hashes ===== -->
  <xsl:template name="about">
    <footer id="about">
      <h2><xsl:value-of select="$L[@k='about']"/></h2>
      <ul class="notes">
        <xsl:if test="summary/@examples-left-out &gt; 0">
          <li><b><xsl:value-of select="format-number(summary/@examples-left-out, '#,##0')"/></b><xsl:value-of select="$L[@k='left-out']"/><xsl:value-of select="summary/@max-examples"/><xsl:value-of select="$L[@k='left-out-2']"/></li>
        </xsl:if>
        <li><xsl:value-of select="$L[@k='masked']"/></li>
        <li><xsl:value-of select="$L[@k='sha-note']"/></li>
      </ul>
      <table class="kv">
        <tr><th><xsl:value-of select="$L[@k='profile']"/></th><td><xsl:value-of select="concat(profile/@id, '@', profile/@version)"/></td></tr>
        <tr><th><xsl:value-of select="$L[@k='fidelity']"/></th><td>
          <xsl:value-of select="profile/@fidelity"/>
          <xsl:if test="$L[@k=concat('f-', current()/profile/@fidelity)]"><xsl:value-of select="concat(' — ', $L[@k=concat('f-', current()/profile/@fidelity)])"/></xsl:if>
        </td></tr>
        <tr><th><xsl:value-of select="$L[@k='profile']"/> SHA-256</th><td class="hash"><xsl:value-of select="profile/@sha256"/></td></tr>
        <xsl:for-each select="inputs/input">
          <tr><th><xsl:call-template name="basename"><xsl:with-param name="p" select="@path"/></xsl:call-template> SHA-256</th>
            <td class="hash"><xsl:value-of select="@sha256"/><xsl:if test="not(@sha256)"><xsl:value-of select="$L[@k='not-read']"/></xsl:if></td></tr>
        </xsl:for-each>
        <tr><th><xsl:value-of select="$L[@k='tool']"/></th><td>tekigo <xsl:value-of select="tool/@version"/></td></tr>
      </table>
    </footer>
  </xsl:template>

  <!-- ===== Style ===== -->
  <xsl:template name="css">
:root { --ink:#1f2937; --muted:#5b6472; --line:#d8dde5; --bg:#f6f7f9; --err:#c62828; --warn:#b86e00; --info:#1e6fb8; --ok:#1b7f3b; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1180px; padding: 24px 28px 48px; color: var(--ink); background: #fff;
  font-family: "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic UI", "Yu Gothic", Meiryo, "Noto Sans CJK JP", "Noto Sans JP", sans-serif;
  font-size: 16px; line-height: 1.65; }
h1 { font-size: 28px; margin: 4px 0 6px; }
h2 { font-size: 21px; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h3 { font-size: 17px; margin: 22px 0 2px; }
.kicker { color: var(--muted); font-size: 14px; letter-spacing: .04em; }
.meta { color: var(--muted); font-size: 14px; display: flex; flex-wrap: wrap; gap: 6px 22px; }
.meta b { color: var(--ink); font-weight: 600; }
.verdict { display: flex; align-items: center; gap: 24px; margin: 22px 0 18px; padding: 22px 28px; border-radius: 12px; color: #fff; }
.v-conformant { background: var(--ok); }
.v-nonconformant { background: var(--err); }
.v-incomplete { background: #a15c00; }
.verdict-label { font-size: 15px; opacity: .9; }
.verdict-word { font-size: 52px; font-weight: 800; line-height: 1.1; letter-spacing: .06em; }
.verdict-text { margin: 8px 0 0; font-size: 17px; }
.cards { display: grid; grid-template-columns: repeat(5, 1fr); gap: 12px; }
.card { background: var(--bg); border: 1px solid var(--line); border-radius: 10px; padding: 12px 16px; }
.card-n { font-size: 30px; font-weight: 700; line-height: 1.2; }
.card-n small { font-size: 15px; font-weight: 500; margin-left: 3px; }
.card-k { color: var(--muted); font-size: 14px; }
.c-error { border-left: 6px solid var(--err); } .c-error .card-n { color: var(--err); }
.c-warning { border-left: 6px solid var(--warn); } .c-warning .card-n { color: var(--warn); }
.c-info { border-left: 6px solid var(--info); } .c-info .card-n { color: var(--info); }
.card.zero .card-n { color: var(--muted); }
.toc { margin: 20px 0 0; font-size: 15px; display: flex; flex-wrap: wrap; gap: 4px 18px; }
.toc a { color: #1a56a8; }
table.grid { border-collapse: collapse; width: 100%; font-size: 15px; }
table.grid th, table.grid td { border: 1px solid var(--line); padding: 6px 10px; text-align: left; vertical-align: top; }
table.grid thead th { background: #eef2f7; font-weight: 600; white-space: nowrap; }
table.grid tbody tr:nth-child(even) td { background: #fafbfc; }
table.grid td.num, table.grid th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.grid th.w-id { width: 110px; } table.grid th.w-sev { width: 110px; } table.grid th.w-n { width: 110px; }
td.t-error { color: var(--err); font-weight: 700; }
td.t-warning { color: var(--warn); font-weight: 700; }
td.t-info { color: var(--info); font-weight: 700; }
.atleast { font-size: 12px; font-weight: 400; color: var(--muted); }
.path, .sub { color: var(--muted); font-size: 13px; word-break: break-all; }
.code { font-family: ui-monospace, "DejaVu Sans Mono", Consolas, monospace; }
.nowrap { white-space: nowrap; }
.unreadable { color: var(--err); font-weight: 700; }
.badge { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 13px; font-weight: 600; color: #fff; white-space: nowrap; }
.b-error { background: var(--err); } .b-warning { background: var(--warn); } .b-info { background: var(--info); }
.cv-ok { background: var(--ok); } .cv-missing, .cv-forbidden { background: var(--err); } .cv-unknown, .cv-other-version { background: #6b7280; }
tr.r-error td:first-child { box-shadow: inset 4px 0 0 var(--err); }
tr.r-warning td:first-child { box-shadow: inset 4px 0 0 var(--warn); }
tr.r-info td:first-child { box-shadow: inset 4px 0 0 var(--info); }
code.value { font-family: ui-monospace, "DejaVu Sans Mono", Consolas, monospace; background: #fff4e5; border: 1px solid #f1d3a8; border-radius: 4px; padding: 0 5px; word-break: break-all; }
.file-block h3 .count { font-size: 14px; font-weight: 500; color: var(--muted); margin-left: 10px; }
.charts { display: grid; grid-template-columns: 1fr; gap: 18px; }
figure.chart { margin: 0; padding: 12px 16px; border: 1px solid var(--line); border-radius: 10px; background: #fff; }
figure.chart figcaption { font-weight: 700; margin-bottom: 6px; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
svg .lbl { font-size: 13px; fill: #1f2937; }
svg .val { font-size: 13px; font-weight: 700; fill: #1f2937; }
.legend { font-size: 13px; color: var(--muted); display: flex; gap: 16px; margin-top: 4px; }
.sw { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.s-error { background: var(--err); } .s-warning { background: #e08a00; } .s-info { background: var(--info); }
.empty { color: var(--muted); font-size: 14px; }
.cov-sum { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; }
.cov-sum b { margin-right: 12px; }
.note, .help { color: var(--muted); font-size: 14px; }
.none { font-size: 17px; color: var(--ok); font-weight: 600; }
footer { margin-top: 40px; }
ul.notes { padding-left: 20px; color: var(--muted); font-size: 14px; }
table.kv { border-collapse: collapse; font-size: 14px; }
table.kv th { text-align: left; font-weight: 600; padding: 3px 16px 3px 0; vertical-align: top; white-space: nowrap; }
table.kv td { padding: 3px 0; }
td.hash { font-family: ui-monospace, "DejaVu Sans Mono", Consolas, monospace; font-size: 12.5px; word-break: break-all; }
@media (max-width: 800px) { .cards { grid-template-columns: repeat(2, 1fr); } .verdict-word { font-size: 40px; } }
@media print { body { max-width: none; padding: 0; font-size: 12pt; } .toc { display: none; }
  .verdict, .badge, .sw, svg rect { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; } tr, figure { break-inside: avoid; } }
  </xsl:template>
</xsl:stylesheet>
