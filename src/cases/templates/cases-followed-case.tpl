{{%AUTOESCAPE context="HTML"}}<p class="meta">{{SERVICE}}</p>
<h1>{{t_followed__case_title}} <bdi dir="ltr">{{TRACKING}}</bdi></h1>
{{#FOLLOWED}}<div class="notice" role="status"><p>{{t_followed__done}}</p></div>
{{/FOLLOWED}}<p>{{t_followed__what_you_see}}</p>
<dl class="contact">
<dt>{{t_case__state}}</dt><dd><strong>{{STATE}}</strong></dd>
<dt>{{t_case__submitted}}</dt><dd>{{SUBMITTED}}</dd>
<dt>{{t_case__updated}}</dt><dd>{{UPDATED}}</dd>
</dl>
<h2>{{t_case__history}}</h2>
<ol class="history">
{{#EVENT}}<li><time datetime="{{ISO}}">{{WHEN}}</time> — {{WHAT}}</li>
{{/EVENT}}</ol>
<p><a href="/account/followed">{{t_followed__back}}</a></p>
