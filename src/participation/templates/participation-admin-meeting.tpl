{{%AUTOESCAPE context="HTML"}}<p><a href="{{PROCESS_HREF}}">{{t_participation__back}}: {{PROCESS}}</a> · <a href="{{PUBLIC_HREF}}">{{t_participation__admin__public}}</a></p>
<h1 dir="auto">{{TITLE}}</h1>
<p class="lead">{{KIND}} · <time datetime="{{ISO}}">{{WHEN}}</time> · {{SEATS}}</p>
{{#HAS_NOTICE}}<div class="notice" role="status"><p>{{NOTICE}}</p></div>
{{/HAS_NOTICE}}{{#HAS_ALERT}}<div class="notice" role="alert"><p>{{NOTICE}}</p></div>
{{/HAS_ALERT}}<h2 id="register-title">{{t_participation__meeting__register_list}}</h2>
<p>{{t_participation__meeting__attended}} {{ATTENDED}}</p>
{{#NO_REGISTRATIONS}}<p>{{t_participation__meeting__nobody}}</p>
{{/NO_REGISTRATIONS}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="register-title">
<table>
<thead><tr><th scope="col">{{t_participation__meeting__name}}</th><th scope="col">{{t_participation__meeting__status}}</th><th scope="col">{{t_participation__meeting__checkin}}</th></tr></thead>
<tbody>
{{#REGISTRATION}}<tr><td dir="auto">{{NAME}}</td><td>{{STATUS}}</td><td>{{#CHECKED}}{{CHECKED_AT}}{{/CHECKED}}{{#CHECKIN}}<form method="post" action="{{ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit" class="button">{{t_participation__meeting__checkin_submit}}<span class="visually-hidden"> {{NAME}}</span></button></form>{{/CHECKIN}}</td></tr>
{{/REGISTRATION}}</tbody>
</table>
</div>
<h2>{{t_participation__meeting__walkin}}</h2>
<form method="post" action="{{WALKIN_ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field"><label for="national_id">{{t_participation__meeting__national_id}}</label><input type="text" id="national_id" name="national_id" inputmode="numeric" autocomplete="off" dir="ltr" required></div>
<div class="field"><label for="walkin_name">{{t_participation__meeting__walkin_name}}</label><p class="hint" id="walkin_name-hint">{{t_participation__meeting__walkin_name_hint}}</p><input type="text" id="walkin_name" name="name" aria-describedby="walkin_name-hint"></div>
<button type="submit" class="button">{{t_participation__meeting__walkin_submit}}</button></form>
<h2>{{t_participation__meeting__minutes}}</h2>
{{#HAS_MINUTES}}<p>{{t_participation__meeting__minutes_published}} {{MINUTES_DATE}}</p>
{{/HAS_MINUTES}}<form method="post" action="{{MINUTES_ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field"><label for="minutes">{{t_participation__meeting__minutes_label}}</label><textarea id="minutes" name="minutes" rows="8" required>{{MINUTES}}</textarea></div>
<button type="submit" class="button">{{t_participation__meeting__minutes_submit}}</button></form>
<h2>{{t_participation__meeting__recs}}</h2>
{{#HAS_RECS}}<ul>
{{#REC}}<li><a href="{{HREF}}" dir="auto">{{TITLE}}</a> · {{STATE}}</li>
{{/REC}}</ul>
{{/HAS_RECS}}<form method="post" action="{{REC_ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field"><label for="mrec_title">{{t_participation__rec__title_label}}</label><input type="text" id="mrec_title" name="title" required></div>
<div class="field"><label for="mrec_body">{{t_participation__rec__body_label}}</label><textarea id="mrec_body" name="body" rows="3" required></textarea></div>
<button type="submit" class="button">{{t_participation__meeting__rec_submit}}</button></form>
