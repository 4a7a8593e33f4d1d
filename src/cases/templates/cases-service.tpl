{{%AUTOESCAPE context="HTML"}}<h1>{{NAME}}</h1>
<p class="lead">{{DESCRIPTION}}</p>
<dl class="contact">
<dt>{{t_services__fee}}</dt><dd>{{FEE}}</dd>
<dt>{{t_services__sla}}</dt><dd>{{SLA}}</dd>
{{#HAS_DEPARTMENT}}<dt>{{t_services__department}}</dt><dd>{{DEPARTMENT}}</dd>
{{/HAS_DEPARTMENT}}<dt>{{t_services__channels}}</dt><dd>{{CHANNELS}}</dd>
</dl>
{{#HAS_ELIGIBILITY}}<h2>{{t_services__eligibility}}</h2>
<p>{{ELIGIBILITY}}</p>
{{/HAS_ELIGIBILITY}}{{#HAS_DOCUMENTS}}<h2>{{t_services__documents}}</h2>
<ul>
{{#DOCUMENT}}<li>{{TEXT}}</li>
{{/DOCUMENT}}</ul>
{{/HAS_DOCUMENTS}}{{#CAN_APPLY}}<form method="post" action="{{APPLY_HREF}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit" class="button">{{APPLY_LABEL}}</button>
</form>
{{/CAN_APPLY}}{{#SIGN_IN}}<p><a class="button" href="{{LOGIN_HREF}}">{{t_services__login_to_apply}}</a></p>
{{/SIGN_IN}}{{#NOT_ONLINE}}<p>{{t_services__not_online}}</p>
{{/NOT_ONLINE}}<p><a href="{{BACK_HREF}}">{{t_services__back}}</a></p>
