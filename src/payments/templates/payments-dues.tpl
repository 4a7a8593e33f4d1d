{{%AUTOESCAPE context="HTML"}}<h1>{{t_payments__dues__title}}</h1>
<p class="lead">{{t_payments__dues__intro}}</p>
{{#NONE}}<p>{{t_payments__dues__none}}</p>
{{/NONE}}{{#INVOICE}}<section aria-labelledby="inv-{{NUMBER}}">
<h2 id="inv-{{NUMBER}}">{{DESCRIPTION}}</h2>
<dl class="contact">
<dt>{{t_payments__invoice__total}}</dt><dd>{{TOTAL}}</dd>
<dt>{{t_payments__invoice__due}}</dt><dd>{{DUE}}</dd>
<dt>{{t_payments__invoice__number}}</dt><dd><bdi dir="ltr">{{NUMBER}}</bdi></dd>
<dt>{{t_payments__invoice__reference}}</dt><dd><code dir="ltr">{{REFERENCE}}</code></dd>
{{#CASE}}<dt>{{t_payments__receipt__case}}</dt><dd><a href="{{CASE_HREF}}"><bdi dir="ltr">{{TRACKING}}</bdi></a></dd>
{{/CASE}}</dl>
<p>{{t_payments__dues__pay_hint}}</p>
{{#CARD}}<form method="post" action="{{CARD_ACTION}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit">{{t_payments__card__pay}}<span class="visually-hidden"> <bdi dir="ltr">{{NUMBER}}</bdi></span></button>
</form>
{{/CARD}}</section>
{{/INVOICE}}
