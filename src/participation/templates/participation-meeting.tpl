{{%AUTOESCAPE context="HTML"}}<p><a href="{{PROCESS_HREF}}">{{t_participation__back}}: {{PROCESS}}</a></p>
<h1 dir="auto">{{TITLE}}</h1>
<p class="lead">{{KIND}} · <time datetime="{{ISO}}">{{WHEN}}</time></p>
{{#HAS_NOTICE}}<div class="notice" role="status"><p>{{NOTICE}}</p></div>
{{/HAS_NOTICE}}{{#REFUSED}}<div class="notice" role="alert"><p>{{REFUSAL}}</p></div>
{{/REFUSED}}<dl>
{{#HAS_PLACE}}<dt>{{t_participation__meeting__place}}</dt><dd dir="auto">{{PLACE}}</dd>
{{/HAS_PLACE}}{{#HAS_URL}}<dt>{{t_participation__meeting__online}}</dt><dd><a href="{{URL}}" dir="ltr">{{URL}}</a></dd>
{{/HAS_URL}}<dt>{{t_participation__meeting__seats}}</dt><dd>{{SEATS}}</dd>
</dl>
<h2>{{t_participation__meeting__agenda}}</h2>
<p class="user-text" dir="auto">{{AGENDA}}</p>
{{#MINE}}<p class="notice">{{MINE_TEXT}}</p>
{{#CAN_CANCEL}}<form method="post" action="{{ACTION}}/cancel"><input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit" class="button secondary">{{t_participation__meeting__cancel}}</button></form>
{{/CAN_CANCEL}}{{/MINE}}{{#CAN_REGISTER}}<form method="post" action="{{ACTION}}/register"><input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit" class="button">{{REGISTER_LABEL}}</button></form>
{{/CAN_REGISTER}}{{#SIGN_IN}}<p>{{t_participation__meeting__sign_in}} <a href="{{LOGIN_HREF}}">{{t_participation__sign_in_link}}</a></p>
{{/SIGN_IN}}{{#STARTED}}<p>{{t_participation__meeting__closed}}</p>
{{/STARTED}}{{#HAS_MINUTES}}<h2>{{t_participation__meeting__minutes}}</h2>
<p>{{t_participation__meeting__minutes_published}} {{MINUTES_DATE}} · {{t_participation__meeting__attended}} {{ATTENDED}}</p>
<p class="user-text" dir="auto">{{MINUTES}}</p>
{{/HAS_MINUTES}}{{#HAS_RECS}}<h2>{{t_participation__meeting__recs}}</h2>
<ul>
{{#REC}}<li><a href="{{HREF}}" dir="auto">{{TITLE}}</a> · {{STATE}}</li>
{{/REC}}</ul>
{{/HAS_RECS}}
